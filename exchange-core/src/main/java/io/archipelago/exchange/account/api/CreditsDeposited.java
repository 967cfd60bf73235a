package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** Money entered the exchange: {@code amount} became available to the account. */
public record CreditsDeposited(AccountId accountId, String depositId, MicroCredits amount, Instant at) {
}

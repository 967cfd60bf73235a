package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** A requested payout of {@code amount} left the exchange: it is no longer in flight. */
public record PayoutPaid(AccountId accountId, String payoutId, MicroCredits amount, Instant at) {
}

package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** {@code amount} of earnings moved to payouts in flight, to be paid out of the exchange. */
public record PayoutRequested(AccountId accountId, String payoutId, MicroCredits amount, Instant at) {
}

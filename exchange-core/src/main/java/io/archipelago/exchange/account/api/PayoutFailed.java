package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/**
 * A payout of {@code amount} did not reach the host and went back to the account's earnings. {@code reversed} is
 * false when it failed while in flight (the money never left), true when it had been paid and came back from outside
 * the exchange (a reversed transfer): then it counts against the payouts made so far.
 */
public record PayoutFailed(AccountId accountId, String payoutId, MicroCredits amount, boolean reversed, String reason,
                           Instant at) {
}

package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** What was left of the hold {@code hold}, {@code amount}, went back to available, because its work ended. */
public record HoldReleased(AccountId accountId, String hold, MicroCredits amount, String reason, Instant at) {
}

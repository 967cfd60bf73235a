package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/**
 * {@code amount} moved from available to escrow under the hold {@code hold}: the worst case of a multi-step work
 * (a workflow), reserved at its submission so that its steps can be paid for whatever else the account spends. The
 * steps' jobs draw their escrow from it; what is left goes back to available when the hold is released.
 */
public record CreditsHeld(AccountId accountId, String hold, MicroCredits amount, Instant at) {
}

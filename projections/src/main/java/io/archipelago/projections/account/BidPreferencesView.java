package io.archipelago.projections.account;

import io.archipelago.exchange.account.api.BidPreferences;
import java.time.Instant;

/** The bid preferences an account set last, and when. */
public record BidPreferencesView(String accountId, BidPreferences preferences, Instant setAt) {
}

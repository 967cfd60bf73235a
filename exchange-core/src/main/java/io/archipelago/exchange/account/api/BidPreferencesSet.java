package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;

/** The account's bid preferences are now {@code preferences}, whole; they apply to the jobs it submits from then on. */
public record BidPreferencesSet(AccountId accountId, BidPreferences preferences, Instant at) {
}

package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;

/** A publisher moved from one tier to another, and why. */
public record PublisherTierChanged(AccountId publisher, PublisherTier from, PublisherTier to, String reason,
                                   Instant at) {
}

package io.archipelago.projections.registry;

import java.time.Instant;
import java.util.List;

/**
 * A publisher as the registry shows it: name, tier and its history, the key its versions are verified against, how
 * many versions it published and the royalties they earned, in micro-credits (its balance and payouts are its
 * account's, at {@code /accounts/{id}/balance}).
 */
public record PublisherView(String publisher, String name, String tier, String signingKey, long versions,
                            long royaltiesMicroCredits, Instant registeredAt, List<TierMove> tierMoves) {

    /** One move between tiers and its reason. */
    public record TierMove(String from, String to, String reason, Instant at) {
    }
}

package io.archipelago.projections.registry;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A publisher as the registry shows it: name, tier and its history, the key new versions are verified against and
 * its id, every key it signed with and when (retired keys sign nothing new; the versions they signed stay verifiable
 * with them), how many versions it published and the royalties they earned, in micro-credits (its balance and
 * payouts are its account's, at {@code /accounts/{id}/balance}).
 */
public record PublisherView(String publisher, String name, String tier, String signingKey, String keyId,
                            List<Key> keys, long versions, long royaltiesMicroCredits, Instant registeredAt,
                            List<TierMove> tierMoves) {

    /** One of the publisher's keys: its id, the key, since when it signed, and when it was retired (null: current). */
    public record Key(String keyId, String signingKey, Instant since, @Nullable Instant retiredAt) {
    }

    /** One move between tiers and its reason. */
    public record TierMove(String from, String to, String reason, Instant at) {
    }
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import org.jspecify.annotations.Nullable;

/**
 * What became of a submitted bid at once: placed on {@code islandId}, resting in the book, or rejected for
 * {@code reason}. What happens later (placement of a resting bid, expiry) is told by events.
 */
public record BidOutcome(JobId jobId, Status status, @Nullable IslandId islandId, @Nullable RejectionReason reason) {

    public enum Status {
        PLACED,
        RESTING,
        REJECTED
    }

    public static BidOutcome placed(JobId jobId, IslandId islandId) {
        return new BidOutcome(jobId, Status.PLACED, islandId, null);
    }

    public static BidOutcome resting(JobId jobId) {
        return new BidOutcome(jobId, Status.RESTING, null, null);
    }

    public static BidOutcome rejected(JobId jobId, RejectionReason reason) {
        return new BidOutcome(jobId, Status.REJECTED, null, reason);
    }
}

package io.archipelago.projections.rollout;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A rollout as the read side knows it: {@code status} {@code RUNNING}, {@code PROMOTED} or {@code ROLLED_BACK}, the
 * variant that took all the traffic when it ended ({@code winner}, a Cargo type, and {@code winnerVersion} when the
 * rollout split one Cargo type's versions), its variants in order (the incumbent first) and its decisions.
 */
public record RolloutView(String rolloutId, String metric, String status, @Nullable String winner,
                          @Nullable String winnerVersion, double alpha, double rollbackAlpha, double tau,
                          long minimumPerVariant, List<Variant> variants, List<Decision> decisions, Instant startedAt,
                          Instant updatedAt) {

    /**
     * One variant: its Cargo type and version (null for a variant that is a whole Cargo type), its weight now, its
     * jobs and failures, mean time to first token and total time in microseconds (null before any), and the mean of
     * its feedback scores (null before any).
     */
    public record Variant(String cargo, @Nullable String version, int weight, long jobs, long failures,
                          @Nullable Long meanTtftMicros, @Nullable Long meanTotalMicros, long feedbackCount,
                          @Nullable Double meanFeedback) {
    }

    /** One decision (on {@code variant}, a Cargo type, at {@code version} if any) and its statistics. */
    public record Decision(String verdict, String variant, @Nullable String version, double difference, double variance,
                           double likelihoodRatio, double pValue, String reason, Instant decidedAt) {
    }
}

package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Job {@code job} of variant {@code cargo} (its {@code version}, when the variant is one; null otherwise and in events
 * stored before versions could be split) was scored {@code score} (0 to 1).
 */
public record RolloutFeedbackRecorded(RolloutId rollout, JobId job, CargoType cargo, double score, Instant at,
                                      @Nullable String version) {

    /** A score of a job of a variant that is a whole Cargo type. */
    public RolloutFeedbackRecorded(RolloutId rollout, JobId job, CargoType cargo, double score, Instant at) {
        this(rollout, job, cargo, score, at, null);
    }
}

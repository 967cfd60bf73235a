package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One job of a rollout ended, as its consumer saw it: see {@link RecordRolloutOutcome}. {@code version} is the
 * variant's version (null for a variant that is a whole Cargo type, and in events stored before versions could be
 * split).
 */
public record RolloutOutcomeRecorded(RolloutId rollout, JobId job, CargoType cargo, boolean succeeded,
                                     long ttftMicros, long totalMicros, Instant at, @Nullable String version) {

    /** The outcome of a job of a variant that is a whole Cargo type. */
    public RolloutOutcomeRecorded(RolloutId rollout, JobId job, CargoType cargo, boolean succeeded, long ttftMicros,
                                  long totalMicros, Instant at) {
        this(rollout, job, cargo, succeeded, ttftMicros, totalMicros, at, null);
    }
}

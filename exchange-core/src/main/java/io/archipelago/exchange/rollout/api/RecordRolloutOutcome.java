package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * How job {@code job}, sent to variant {@code cargo} (pinned to {@code version} when the rollout splits one Cargo
 * type's versions, else null), went as its consumer saw it: whether it completed, its time to first token and total
 * time in microseconds (-1 when it produced nothing).
 */
public record RecordRolloutOutcome(@TargetAggregateIdentifier RolloutId rollout, JobId job, CargoType cargo,
                                   @Nullable String version, boolean succeeded, long ttftMicros, long totalMicros,
                                   Instant at) {

    /** The outcome of a job of a variant that is a whole Cargo type. */
    public RecordRolloutOutcome(RolloutId rollout, JobId job, CargoType cargo, boolean succeeded, long ttftMicros,
                                long totalMicros, Instant at) {
        this(rollout, job, cargo, null, succeeded, ttftMicros, totalMicros, at);
    }
}

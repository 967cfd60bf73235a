package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * How job {@code job}, sent to variant {@code cargo}, went as its consumer saw it: whether it completed, its time to
 * first token and total time in microseconds (-1 when it produced nothing).
 */
public record RecordRolloutOutcome(@TargetAggregateIdentifier RolloutId rollout, JobId job, CargoType cargo,
                                   boolean succeeded, long ttftMicros, long totalMicros, Instant at) {
}

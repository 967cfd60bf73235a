package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** One job of a rollout ended, as its consumer saw it: see {@link RecordRolloutOutcome}. */
public record RolloutOutcomeRecorded(RolloutId rollout, JobId job, CargoType cargo, boolean succeeded,
                                     long ttftMicros, long totalMicros, Instant at) {
}

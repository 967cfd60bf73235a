package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** Job {@code job} of variant {@code cargo} was scored {@code score} (0 to 1). */
public record RolloutFeedbackRecorded(RolloutId rollout, JobId job, CargoType cargo, double score, Instant at) {
}

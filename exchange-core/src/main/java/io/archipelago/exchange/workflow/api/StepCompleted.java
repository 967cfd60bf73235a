package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Step {@code key} completed with attempt {@code attempt} on {@code islandId}: {@code units} used, {@code cost}
 * settled for its job; {@code output} is its whole text (what its dependants' templates render), null only for a
 * step no other depends on whose output did not reach the coordinator.
 */
public record StepCompleted(WorkflowId workflowId, String key, int index, int attempt, JobId jobId,
                            IslandId islandId, long units, MicroCredits cost, @Nullable String output, Instant at) {
}

package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** Attempt {@code attempt} of step {@code key} runs on {@code islandId} (again elsewhere after a reassignment). */
public record StepPlaced(WorkflowId workflowId, String key, int index, int attempt, JobId jobId, IslandId islandId,
                         Instant at) {
}

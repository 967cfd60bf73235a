package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** {@code islandId} lost attempt {@code attempt} of step {@code key} before it streamed; a retry avoids it. */
public record StepReassigned(WorkflowId workflowId, String key, int index, int attempt, JobId jobId,
                             IslandId islandId, Instant at) {
}

package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The bid of step {@code key}'s job went in: placed at once on {@code placedOn}, or resting (null). */
public record StepBidSubmitted(WorkflowId workflowId, String key, int index, JobId jobId,
                               @Nullable IslandId placedOn, Instant at) {
}

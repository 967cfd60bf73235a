package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Step {@code key} failed for good with attempt {@code attempt}, on {@code islandId} (null: it ran nowhere);
 * {@code cost} is what that attempt's job settled (zero unless it completed without its output).
 */
public record StepFailed(WorkflowId workflowId, String key, int index, int attempt, JobId jobId,
                         @Nullable IslandId islandId, String reason, MicroCredits cost, Instant at) {
}

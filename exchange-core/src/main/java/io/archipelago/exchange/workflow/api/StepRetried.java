package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Attempt {@code attempt} of step {@code key} failed on {@code islandId} (null: it ran nowhere) for {@code reason};
 * the step is queued for attempt {@code attempt + 1}, which avoids {@code avoiding} (the Islands that failed or lost
 * it, in id order). {@code cost} is what the failed attempt's job settled: zero unless it completed without its
 * output reaching the coordinator.
 */
public record StepRetried(WorkflowId workflowId, String key, int index, int attempt, JobId jobId,
                          @Nullable IslandId islandId, String reason, List<IslandId> avoiding, MicroCredits cost,
                          Instant at) {
}

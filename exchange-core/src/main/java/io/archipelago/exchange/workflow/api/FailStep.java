package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * A step's job ended without a result, on {@code islandId} (null: it ran nowhere) for {@code reason}; it may be
 * tried again as a new job while {@code retryable} (the market failed or expired it, not refused it).
 */
public record FailStep(@TargetAggregateIdentifier WorkflowId workflowId, JobId jobId, @Nullable IslandId islandId,
                       String reason, boolean retryable, Instant at) {
}

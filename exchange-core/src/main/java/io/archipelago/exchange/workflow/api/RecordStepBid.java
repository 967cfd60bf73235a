package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.jspecify.annotations.Nullable;

/** The bid of a step's job went in: placed at once on {@code placedOn}, or resting (null). */
public record RecordStepBid(@TargetAggregateIdentifier WorkflowId workflowId, JobId jobId,
                            @Nullable IslandId placedOn, Instant at) {
}

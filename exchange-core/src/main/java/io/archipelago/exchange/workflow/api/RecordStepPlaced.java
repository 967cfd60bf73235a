package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The market placed a step's job on {@code islandId}. */
public record RecordStepPlaced(@TargetAggregateIdentifier WorkflowId workflowId, JobId jobId, IslandId islandId,
                               Instant at) {
}

package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code islandId} lost a step's job before it streamed; the market places it elsewhere on its own. */
public record RecordStepReassigned(@TargetAggregateIdentifier WorkflowId workflowId, JobId jobId, IslandId islandId,
                                   Instant at) {
}

package io.archipelago.exchange.workflow.api;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The owner stops the workflow: every step that has not ended is cancelled. A workflow that ended stays so. */
public record CancelWorkflow(@TargetAggregateIdentifier WorkflowId workflowId, String reason, Instant at) {
}

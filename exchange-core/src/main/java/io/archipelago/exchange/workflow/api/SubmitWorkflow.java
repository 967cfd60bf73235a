package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Submits a workflow of {@code account}'s: its steps in declaration order, the values of its parameters (what
 * {@code {{input.<name>}}} renders to), what a step that fails for good does to the rest, and at most how many
 * attempts each step is given while the market fails it.
 */
public record SubmitWorkflow(@TargetAggregateIdentifier WorkflowId workflowId, AccountId account,
                             List<StepSpec> steps, Map<String, String> parameters, FailMode failMode,
                             int maxAttempts, Instant at) {
}

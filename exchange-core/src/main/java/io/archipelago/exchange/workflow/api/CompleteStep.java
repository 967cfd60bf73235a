package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * A step's job completed on {@code islandId} and settled {@code cost} for {@code units}; {@code output} is its whole
 * text, null when it did not reach the coordinator.
 */
public record CompleteStep(@TargetAggregateIdentifier WorkflowId workflowId, JobId jobId, IslandId islandId,
                           long units, MicroCredits cost, @Nullable String output, Instant at) {
}

package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Step {@code key} will not run (again): its workflow was cancelled, failed fast, or a step it depends on failed.
 * {@code jobId} is its attempt whose bid is in on {@code cargo}'s market, which is to be cancelled there (the market
 * releases its escrow, or settles what it delivered); null when none was.
 */
public record StepCancelled(WorkflowId workflowId, String key, int index, @Nullable JobId jobId, CargoType cargo,
                            String reason, Instant at) {
}

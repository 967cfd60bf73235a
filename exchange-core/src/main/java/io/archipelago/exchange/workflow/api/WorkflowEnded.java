package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/**
 * Every step of the workflow completed, failed or was cancelled: {@code cost} is the sum its steps' jobs settled.
 */
public record WorkflowEnded(WorkflowId workflowId, WorkflowStatus status, int total, int completed, int failed,
                            int cancelled, MicroCredits cost, Instant at) {
}

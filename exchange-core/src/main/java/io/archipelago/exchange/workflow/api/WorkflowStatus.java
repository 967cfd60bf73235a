package io.archipelago.exchange.workflow.api;

/**
 * How a workflow ended: every step completed; some did under {@code best_effort}; a step failed (under
 * {@code fail_fast}, or no step completed); or its owner cancelled it.
 */
public enum WorkflowStatus {
    COMPLETED, COMPLETED_WITH_FAILURES, FAILED, CANCELLED
}

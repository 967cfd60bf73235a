package io.archipelago.projections.workflow;

/**
 * One progress event of a workflow: its number (increasing within the workflow, with gaps), its type
 * ({@code step_started}, {@code step_completed}, {@code step_retried}, {@code step_failed}, {@code step_cancelled},
 * {@code workflow_completed}, the last) and its data as one line of JSON.
 */
public record WorkflowProgressView(long seq, String type, String data) {

    /** The type of the event that ends a workflow's progress. */
    public static final String LAST = "workflow_completed";
}

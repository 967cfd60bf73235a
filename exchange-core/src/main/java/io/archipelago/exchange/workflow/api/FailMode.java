package io.archipelago.exchange.workflow.api;

/**
 * What a step that failed for good does to the rest of its workflow: {@code FAIL_FAST} cancels every other step that
 * has not ended (running ones are cancelled on their market, so their escrow is released) and fails the workflow;
 * {@code BEST_EFFORT} cancels only the steps that depend on it, directly or not, and lets the others run.
 */
public enum FailMode {
    FAIL_FAST, BEST_EFFORT
}

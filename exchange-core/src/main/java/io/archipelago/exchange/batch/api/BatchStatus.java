package io.archipelago.exchange.batch.api;

/** How a batch ended: every item completed, some did, or none. */
public enum BatchStatus {
    COMPLETED, COMPLETED_WITH_FAILURES, FAILED
}

package io.archipelago.exchange.batch.api;

/** How a batch ended: every item completed, some did, or none. */
public enum BatchStatus {
    COMPLETED, COMPLETED_WITH_FAILURES, FAILED;

    /** How a batch of {@code total} items ended of which {@code completed} completed and the rest failed. */
    public static BatchStatus of(int completed, int total) {
        return completed == total ? COMPLETED : completed == 0 ? FAILED : COMPLETED_WITH_FAILURES;
    }
}

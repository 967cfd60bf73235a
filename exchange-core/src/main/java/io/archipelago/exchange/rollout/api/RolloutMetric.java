package io.archipelago.exchange.rollout.api;

/** What a rollout promotes on; errors are always watched for a rollback. */
public enum RolloutMetric {
    /** The share of jobs that completed. */
    SUCCESS,
    /** The consumers' feedback scores (0 to 1) of completed jobs. */
    QUALITY
}

package io.archipelago.exchange.karma.api;

/** Why an Island's karma changed. */
public enum KarmaReason {
    /** A job completed; the gain shrinks as its round-trip time and time to first token grow. */
    JOB_COMPLETED,
    /** A job failed or was lost on this Island. */
    JOB_FAILED,
    /** The Island was taken offline or missed its heartbeats. */
    WENT_OFFLINE,
    /** Karma drifts back towards the initial value while nothing happens. */
    DECAY
}

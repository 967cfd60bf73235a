package io.archipelago.access;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;

/**
 * The port through which access ends the job of a request whose node died before it answered, when a retry with the
 * request's {@code Idempotency-Key} takes the key over: implemented where the door's jobs are placed.
 */
public interface AbandonedJobs {

    /** How the job of a dead request ended. */
    enum Outcome {
        /** It ended without a charge (never submitted, refunded, expired, or cancelled now at no units): run again. */
        UNCHARGED,
        /** It completed and was charged, but its answer died with the node: running again would charge twice. */
        CHARGED,
        /** Its end could not be learned in time. */
        UNKNOWN
    }

    /**
     * Ends job {@code jobId} on {@code cargo}'s market, made by a door request whose client was lost with its node,
     * at no charge if it has not ended, and says how it ended; returns within a few seconds.
     */
    Outcome end(CargoType cargo, JobId jobId);
}

package io.archipelago.projections.job;

/** Where a job stands, as the events have told it so far. */
public enum JobStatus {
    /** Its bid waits in the book for an Island; escrow is held. */
    RESTING,
    /** Placed on an Island at a price fixed for its whole life. */
    PLACED,
    /** The Island sent its first token or progress. */
    STARTED,
    /** Finished and settled: the consumer was charged for the units used and the rest released. */
    COMPLETED,
    /** Failed on its Island; the escrow went back to the consumer. */
    FAILED,
    /** Its bid rested past its time to live; the escrow went back to the consumer. */
    EXPIRED,
    /** Its bid was turned away; nothing was reserved. */
    REJECTED,
    /** Its consumer left: charged for the units that reached it (none if no Island had taken it), the rest released. */
    CANCELLED
}

package io.archipelago.exchange.market.api;

/** Where a Cargo version stands. */
public enum VersionStatus {
    /** Placed: the newest active version of its Cargo type runs new jobs. */
    ACTIVE,
    /** Still placed, but only while no active version exists: its publisher wants it replaced. */
    DEPRECATED,
    /** Never placed again, whatever else happens: withdrawn for a defect, a leak or a licence problem. */
    YANKED
}

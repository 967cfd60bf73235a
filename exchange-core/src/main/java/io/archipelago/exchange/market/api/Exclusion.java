package io.archipelago.exchange.market.api;

/**
 * Why an Island with an ask on a market cannot take a bid, in the fixed order the market judges them: an Island is
 * counted under the first of these that excludes it. The Island's own state first (offline), then the bid's hard
 * constraints (jurisdiction, price, karma, latency, verified), then what only holds for now (no free slot, outside
 * the Island's availability schedule).
 */
public enum Exclusion {
    /** The Island is offline. */
    OFFLINE,
    /** The Island's country is outside the bid's jurisdiction. */
    JURISDICTION,
    /** The Island's price all-in (ask + royalty + platform fee) is above the bid's limit. */
    PRICE,
    /** The Island's karma is below the bid's minimum. */
    KARMA,
    /** The Island's measured round-trip time is above the bid's ceiling (or not measured yet while one is set). */
    LATENCY,
    /** The bid takes only verified hosts and the Island's is not verified. */
    VERIFIED,
    /** Every slot of the Island is taken by running jobs. */
    CAPACITY,
    /** The Island does not sell at this time of the week. */
    SCHEDULE;

    /**
     * Whether the Island may take the same bid later without the bid changing: it comes back online, a slot frees,
     * its schedule opens. The bid's hard constraints (jurisdiction, price, karma, latency, verified) never pass by
     * waiting: a bid kept out by them alone can only be changed, not retried.
     */
    public boolean holdsOnlyForNow() {
        return this == OFFLINE || this == CAPACITY || this == SCHEDULE;
    }
}

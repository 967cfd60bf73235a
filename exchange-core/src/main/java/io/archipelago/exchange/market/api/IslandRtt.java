package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.IslandId;

/** A round-trip time in microseconds measured between two Islands (the same both ways). */
public record IslandRtt(IslandId one, IslandId other, long rttMicros) {

    public IslandRtt {
        if (one.equals(other) || rttMicros < 0) {
            throw new IllegalArgumentException("a round trip is between two Islands and never negative");
        }
    }
}

package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** The Island's round-trip time, in microseconds, as the market now ranks it. */
public record IslandRttMeasured(IslandId islandId, long rttMicros, Instant at) {
}

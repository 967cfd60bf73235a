package io.archipelago.exchange.market.api;

import io.archipelago.exchange.island.api.IslandId;
import java.time.Instant;

/** The Island sent a job's first token or progress. */
public record JobStarted(CargoType cargo, JobId jobId, IslandId islandId, long ttftMicros, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** The Island sent a job's first token or progress. */
public record JobStarted(CargoType cargo, JobId jobId, IslandId islandId, long ttftMicros, Instant at) {
}

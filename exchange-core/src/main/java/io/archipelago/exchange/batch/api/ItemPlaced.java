package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.island.api.IslandId;
import io.archipelago.exchange.market.api.JobId;
import java.time.Instant;

/** Attempt {@code attempt} of item {@code index} runs on {@code islandId} (again elsewhere after a reassignment). */
public record ItemPlaced(BatchId batchId, int index, int attempt, JobId jobId, IslandId islandId, Instant at) {
}

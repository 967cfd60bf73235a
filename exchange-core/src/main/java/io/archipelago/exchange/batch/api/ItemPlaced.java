package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** Attempt {@code attempt} of item {@code index} runs on {@code islandId} (again elsewhere after a reassignment). */
public record ItemPlaced(BatchId batchId, int index, int attempt, JobId jobId, IslandId islandId, Instant at) {
}

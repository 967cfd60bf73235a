package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.island.api.IslandId;
import io.archipelago.exchange.market.api.JobId;
import java.time.Instant;

/** {@code islandId} lost attempt {@code attempt} of item {@code index} before it streamed; a retry avoids it. */
public record ItemReassigned(BatchId batchId, int index, int attempt, JobId jobId, IslandId islandId, Instant at) {
}

package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** {@code islandId} lost attempt {@code attempt} of item {@code index} before it streamed; a retry avoids it. */
public record ItemReassigned(BatchId batchId, int index, int attempt, JobId jobId, IslandId islandId, Instant at) {
}

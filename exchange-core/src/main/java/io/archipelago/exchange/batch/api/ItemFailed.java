package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Item {@code index} failed for good with attempt {@code attempt}, on {@code islandId} (null: it ran nowhere). */
public record ItemFailed(BatchId batchId, int index, int attempt, JobId jobId, @Nullable IslandId islandId,
                         String reason, Instant at) {
}

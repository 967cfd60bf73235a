package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Item {@code index} completed with attempt {@code attempt} on {@code islandId}: {@code units} used, {@code cost}
 * settled for its job; {@code result} is its output, null when it did not reach the coordinator.
 */
public record ItemCompleted(BatchId batchId, int index, int attempt, JobId jobId, IslandId islandId, long units,
                            MicroCredits cost, @Nullable String result, Instant at) {
}

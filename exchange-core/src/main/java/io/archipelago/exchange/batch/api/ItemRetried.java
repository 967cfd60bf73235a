package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Attempt {@code attempt} of item {@code index} failed on {@code islandId} (null: it ran nowhere) for {@code reason};
 * the item is queued for attempt {@code attempt + 1}, which avoids {@code avoiding} (the Islands that failed or lost
 * it, in id order).
 */
public record ItemRetried(BatchId batchId, int index, int attempt, JobId jobId, @Nullable IslandId islandId,
                          String reason, List<IslandId> avoiding, Instant at) {
}

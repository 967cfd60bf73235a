package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The bid of item {@code index}'s job went in: placed at once on {@code placedOn}, or resting (null). */
public record ItemBidSubmitted(BatchId batchId, int index, JobId jobId, @Nullable IslandId placedOn, Instant at) {
}

package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** Every item of the batch completed or failed: {@code cost} is the sum its completed items' jobs settled. */
public record BatchEnded(BatchId batchId, BatchStatus status, int total, int completed, int failed, MicroCredits cost,
                         Instant at) {
}

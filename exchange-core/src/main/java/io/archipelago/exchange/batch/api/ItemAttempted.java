package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import java.util.List;

/**
 * Attempt {@code attempt} (from 1) of item {@code index} is to be placed as job {@code jobId}: a bid of
 * {@code account} on {@code cargo} with {@code terms} and {@code input}, avoiding the Islands {@code avoid} (in id
 * order) where another can take it. One attempt of a batch is being placed at a time.
 */
public record ItemAttempted(BatchId batchId, int index, int attempt, JobId jobId, AccountId account, CargoType cargo,
                            ItemTerms terms, String input, List<IslandId> avoid, Instant at) {
}

package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import java.util.List;

/**
 * A batch submitted: its items are {@code inputs} in order, every one queued. The batch reserves nothing itself:
 * each attempt of an item is a bid with its own escrow and settlement.
 */
public record BatchSubmitted(BatchId batchId, AccountId account, CargoType cargo, ItemTerms terms,
                             List<String> inputs, int maxAttempts, Instant at) {
}

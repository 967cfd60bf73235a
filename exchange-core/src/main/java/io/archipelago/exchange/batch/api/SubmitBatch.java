package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Submits a batch of {@code account}'s: one item per input (a job input as JSON text, in input order), each placed on
 * {@code cargo}'s market with {@code terms}, at most {@code maxAttempts} times while the market fails it.
 */
public record SubmitBatch(@TargetAggregateIdentifier BatchId batchId, AccountId account, CargoType cargo,
                          ItemTerms terms, List<String> inputs, int maxAttempts, Instant at) {
}

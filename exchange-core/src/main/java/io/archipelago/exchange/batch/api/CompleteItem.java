package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * An item's job completed on {@code islandId} and settled {@code cost} for {@code units}; {@code result} is its
 * output, null when it did not reach the coordinator.
 */
public record CompleteItem(@TargetAggregateIdentifier BatchId batchId, JobId jobId, IslandId islandId, long units,
                           MicroCredits cost, @Nullable String result, Instant at) {
}

package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The market placed an item's job on {@code islandId}. */
public record RecordItemPlaced(@TargetAggregateIdentifier BatchId batchId, JobId jobId, IslandId islandId,
                               Instant at) {
}

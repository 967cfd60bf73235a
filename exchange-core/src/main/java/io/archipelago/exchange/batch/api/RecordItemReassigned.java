package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code islandId} lost an item's job before it streamed; the market places it elsewhere on its own. */
public record RecordItemReassigned(@TargetAggregateIdentifier BatchId batchId, JobId jobId, IslandId islandId,
                                   Instant at) {
}

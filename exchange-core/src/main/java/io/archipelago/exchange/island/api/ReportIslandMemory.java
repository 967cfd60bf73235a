package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The memory in MiB the Island says it can give a job now, as its agent reported it to the coordinator's probe; what
 * a pipeline stage may be planned on.
 */
public record ReportIslandMemory(@TargetAggregateIdentifier IslandId islandId, long memoryMib, Instant at) {
}

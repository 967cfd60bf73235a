package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The Island answers again and takes jobs. */
public record BringIslandOnline(@TargetAggregateIdentifier IslandId islandId, Instant at) {
}

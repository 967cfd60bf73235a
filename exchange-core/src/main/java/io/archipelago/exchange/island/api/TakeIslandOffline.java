package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The Island stopped answering (missed heartbeats) or its host took it down; {@code reason} says which. */
public record TakeIslandOffline(@TargetAggregateIdentifier IslandId islandId, OfflineReason reason, Instant at) {
}

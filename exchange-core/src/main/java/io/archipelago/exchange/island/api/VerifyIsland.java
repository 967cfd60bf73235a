package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The host's identity was verified: the Island may take jobs that require verified hosts. */
public record VerifyIsland(@TargetAggregateIdentifier IslandId islandId, Instant at) {
}

package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A coalesced round-trip time measurement for the Island, in microseconds (a moving average of probes). */
public record RecordIslandRtt(@TargetAggregateIdentifier IslandId islandId, long rttMicros, Instant at) {
}

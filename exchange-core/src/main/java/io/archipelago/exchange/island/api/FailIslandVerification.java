package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An identity check of the Island's host did not succeed ({@code reason} says why, e.g. the document could not be
 * verified). Ignored once the host is verified: a late or stale failure does not undo a verification.
 */
public record FailIslandVerification(@TargetAggregateIdentifier IslandId islandId, String reason, Instant at) {
}

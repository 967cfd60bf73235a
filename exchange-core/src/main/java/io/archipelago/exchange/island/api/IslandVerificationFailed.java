package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** An identity check of the Island's host did not succeed; the Island stays unverified. */
public record IslandVerificationFailed(IslandId islandId, String reason, Instant at) {
}

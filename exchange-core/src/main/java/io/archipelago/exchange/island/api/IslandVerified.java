package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** The host's identity was verified. */
public record IslandVerified(IslandId islandId, Instant at) {
}

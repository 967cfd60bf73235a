package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** The Island is offline: no job is placed on it until it comes back. */
public record IslandWentOffline(IslandId islandId, OfflineReason reason, Instant at) {
}

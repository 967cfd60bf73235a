package io.archipelago.exchange.island.api;

import java.time.Instant;

/** The Island is offline: no job is placed on it until it comes back. */
public record IslandWentOffline(IslandId islandId, OfflineReason reason, Instant at) {
}

package io.archipelago.exchange.island.api;

import java.time.Instant;

/** The Island is online and takes jobs. */
public record IslandWentOnline(IslandId islandId, Instant at) {
}

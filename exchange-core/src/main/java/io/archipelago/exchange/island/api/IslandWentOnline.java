package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** The Island is online and takes jobs. */
public record IslandWentOnline(IslandId islandId, Instant at) {
}

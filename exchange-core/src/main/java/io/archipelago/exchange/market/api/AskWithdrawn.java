package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** An Island no longer offers capacity on this market. */
public record AskWithdrawn(CargoType cargo, IslandId islandId, Instant at) {
}

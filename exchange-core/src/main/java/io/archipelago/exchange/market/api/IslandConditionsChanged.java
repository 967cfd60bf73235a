package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/**
 * What the market places jobs by changed for one Island: online state, round-trip time, karma,
 * verification or schedule.
 */
public record IslandConditionsChanged(CargoType cargo, IslandId islandId, IslandConditions conditions, Instant at) {
}

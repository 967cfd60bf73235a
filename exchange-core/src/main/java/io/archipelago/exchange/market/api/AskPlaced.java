package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;

/**
 * An Island (owned by {@code owner}) offers capacity at {@code price} per unit, with the conditions the market places
 * jobs by.
 */
public record AskPlaced(CargoType cargo, IslandId islandId, AccountId owner, PricePerUnit price,
                        IslandConditions conditions, Instant at) {
}

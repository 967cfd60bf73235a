package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;

/** An Island's asking price changed. */
public record AskRepriced(CargoType cargo, IslandId islandId, PricePerUnit previous, PricePerUnit price, Instant at) {
}

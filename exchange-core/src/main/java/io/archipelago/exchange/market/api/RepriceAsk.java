package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An Island changes its asking price; jobs already placed keep the price they were placed at. */
public record RepriceAsk(@TargetAggregateIdentifier CargoType cargo, IslandId islandId, PricePerUnit price,
                         Instant at) {
}

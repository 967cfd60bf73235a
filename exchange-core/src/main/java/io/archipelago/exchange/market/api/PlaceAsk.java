package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An Island offers its capacity on this market at an asking price per unit. */
public record PlaceAsk(@TargetAggregateIdentifier CargoType cargo, IslandId islandId, PricePerUnit price, Instant at) {
}

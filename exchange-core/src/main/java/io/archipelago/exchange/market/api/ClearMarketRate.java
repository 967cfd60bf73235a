package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Publishes the market rate cleared from the trades of the rate window ending at {@code at}. */
public record ClearMarketRate(@TargetAggregateIdentifier CargoType cargo, Instant at) {
}

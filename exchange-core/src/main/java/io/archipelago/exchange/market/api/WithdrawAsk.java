package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An Island stops offering capacity on this market; jobs already placed run to their end. */
public record WithdrawAsk(@TargetAggregateIdentifier CargoType cargo, IslandId islandId, Instant at) {
}

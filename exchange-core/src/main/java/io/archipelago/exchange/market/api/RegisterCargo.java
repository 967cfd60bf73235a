package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Opens the market of a Cargo type: its unit, its publisher and the royalty per unit the publisher earns. */
public record RegisterCargo(@TargetAggregateIdentifier CargoType cargo, CargoUnit unit, AccountId publisher,
                            PricePerUnit royalty, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;

/** The market of a Cargo type opened. */
public record CargoRegistered(CargoType cargo, CargoUnit unit, AccountId publisher, PricePerUnit royalty, Instant at) {
}

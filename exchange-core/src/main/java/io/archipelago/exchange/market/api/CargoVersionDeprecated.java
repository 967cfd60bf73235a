package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;

/** A version was deprecated: placed only while no active version of its Cargo type exists. */
public record CargoVersionDeprecated(CargoType cargo, String version, AccountId by, String reason, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;

/** A version was yanked: no job is placed on it again; jobs already running on it finish. */
public record CargoVersionYanked(CargoType cargo, String version, AccountId by, String reason, Instant at) {
}

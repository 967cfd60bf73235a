package io.archipelago.exchange.island.api;

import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.karma.api.Karma;
import io.archipelago.exchange.market.api.CargoType;
import java.time.Instant;
import java.util.Set;

/** An Island joined the exchange with karma {@code karma}. */
public record IslandRegistered(IslandId islandId, AccountId owner, Country country, Set<CargoType> cargoTypes,
                               int slots, AvailabilitySchedule schedule, boolean verified, Karma karma, Instant at) {
}

package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import java.util.Set;

/** An Island joined the exchange with karma {@code karma}. */
public record IslandRegistered(IslandId islandId, AccountId owner, Country country, Set<CargoType> cargoTypes,
                               int slots, AvailabilitySchedule schedule, boolean verified, Karma karma, Instant at) {
}

package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A host registers a machine as an Island: owner account, country, Cargo types served, concurrent slots, availability
 * schedule and whether the host's identity is verified.
 */
public record RegisterIsland(@TargetAggregateIdentifier IslandId islandId, AccountId owner, Country country,
                             Set<CargoType> cargoTypes, int slots, AvailabilitySchedule schedule, boolean verified,
                             Instant at) {
}

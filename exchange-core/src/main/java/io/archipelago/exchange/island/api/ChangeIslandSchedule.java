package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The host replaces the Island's weekly selling windows in UTC; {@link AvailabilitySchedule#ALWAYS} sells at any
 * time. Windows are validated as at registration.
 */
public record ChangeIslandSchedule(@TargetAggregateIdentifier IslandId islandId, AvailabilitySchedule schedule,
                                   Instant at) {
}

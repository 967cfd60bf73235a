package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** The Island's weekly selling windows in UTC from now on (an empty list: always). */
public record IslandScheduleChanged(IslandId islandId, AvailabilitySchedule schedule, Instant at) {
}

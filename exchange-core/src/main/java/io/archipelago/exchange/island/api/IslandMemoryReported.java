package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.IslandId;
import java.time.Instant;

/** The memory in MiB the Island can give a job, as pipeline planning now counts it. */
public record IslandMemoryReported(IslandId islandId, long memoryMib, Instant at) {
}

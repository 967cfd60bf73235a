package io.archipelago.projections.island;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An Island as analysts see it: its owner, its jurisdiction ({@code country}), the Cargo types it serves, its
 * slots, whether its host is verified and it is online (since when), its karma (0 to 1000), its measured round-trip
 * time in microseconds (absent until measured), and {@code uptimeMillis}, the time it spent online in closed periods
 * (the current one adds {@code now - onlineSince}), and its weekly {@code schedule} in UTC.
 */
public record IslandView(String islandId, String owner, String country, List<String> cargoTypes, int slots,
                         boolean verified, boolean online, @Nullable Instant onlineSince, long uptimeMillis,
                         int karma, @Nullable Long rttMicros, Instant registeredAt, Instant updatedAt,
                         IslandSchedule schedule) {
}

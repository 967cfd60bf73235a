package io.archipelago.query.history;

import io.archipelago.projections.island.IslandSchedule;
import io.archipelago.projections.island.IslandView;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An Island as any caller sees it: everything the read model holds but its owner. Which account runs an Island is
 * its host's business; consumers choose Islands by jurisdiction, karma, round-trip time and price.
 */
record IslandListing(String islandId, String country, List<String> cargoTypes, int slots, boolean verified,
                     boolean online, @Nullable Instant onlineSince, long uptimeMillis, int karma,
                     @Nullable Long rttMicros, Instant registeredAt, Instant updatedAt,
                     IslandSchedule schedule) {

    static IslandListing of(IslandView island) {
        return new IslandListing(island.islandId(), island.country(), island.cargoTypes(), island.slots(),
                island.verified(), island.online(), island.onlineSince(), island.uptimeMillis(), island.karma(),
                island.rttMicros(), island.registeredAt(), island.updatedAt(), island.schedule());
    }
}

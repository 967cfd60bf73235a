package io.archipelago.bridge;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobVersionAssigned;
import io.archipelago.protocol.OfferedVersion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cargo versions published so far, kept as the bridge offers them to Islands, from the
 * {@link CargoVersionPublished} events (which carry the image, the signature and the publisher key the coordinator
 * verified), and the placements waiting for the version the market assigned them. On a Cargo type with any
 * published version the market places a job only with a version, and its {@link JobVersionAssigned} follows the
 * {@link JobPlaced} in the same unit of work, so the bridge holds such a placement until that next event instead of
 * deciding itself which version runs (that rule lives in the market alone).
 */
final class PublishedVersions {

    private static final Logger LOG = LoggerFactory.getLogger(PublishedVersions.class);

    private final Map<CargoType, Map<String, OfferedVersion>> byCargo = new ConcurrentHashMap<>();
    private final Map<JobId, JobPlaced> awaitingVersion = new ConcurrentHashMap<>();

    void published(CargoVersionPublished event) {
        OfferedVersion offered;
        try {
            offered = new OfferedVersion(OfferedVersion.VERSION, event.version(), event.image().repository(),
                    event.image().digest(), event.signature().payload(), event.signature().signature(),
                    event.signingKey());
        } catch (IllegalArgumentException unofferable) {
            LOG.warn("version {} of {} cannot be offered to Islands: {}", event.version(), event.cargo(),
                    unofferable.getMessage());
            byCargo.computeIfAbsent(event.cargo(), cargo -> new ConcurrentHashMap<>());
            return;
        }
        byCargo.computeIfAbsent(event.cargo(), cargo -> new ConcurrentHashMap<>()).put(event.version(), offered);
    }

    /**
     * Whether {@code placed} waits for its version: true, and kept, when its Cargo type has published versions.
     */
    boolean holds(JobPlaced placed) {
        if (!byCargo.containsKey(placed.cargo())) {
            return false;
        }
        awaitingVersion.put(placed.jobId(), placed);
        return true;
    }

    /** The placement {@code assigned} completes, if it was held, or null. */
    @Nullable JobPlaced release(JobVersionAssigned assigned) {
        return awaitingVersion.remove(assigned.jobId());
    }

    /** The version {@code assigned} names as offered to Islands; null when it cannot be offered. */
    @Nullable OfferedVersion offered(JobVersionAssigned assigned) {
        Map<String, OfferedVersion> versions = byCargo.get(assigned.cargo());
        return versions == null ? null : versions.get(assigned.version());
    }
}

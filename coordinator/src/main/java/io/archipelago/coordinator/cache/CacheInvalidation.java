package io.archipelago.coordinator.cache;

import io.archipelago.exchange.market.api.CargoVersionDeprecated;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Forgets the answers of a Cargo type whose versions changed: a version published (new requests run on it),
 * deprecated or yanked (its answers may be wrong) deletes the type's answers kept before the change, on every node's
 * read of PostgreSQL at once. Replaying the events again deletes nothing kept since, so the processor may start
 * anywhere.
 */
@ProcessingGroup(CacheInvalidation.PROCESSING_GROUP)
final class CacheInvalidation {

    static final String PROCESSING_GROUP = "inference-cache";

    private final InferenceCache cache;

    CacheInvalidation(InferenceCache cache) {
        this.cache = cache;
    }

    @EventHandler
    void on(CargoVersionPublished event) {
        forget(event.cargo().value(), event.at());
    }

    @EventHandler
    void on(CargoVersionDeprecated event) {
        forget(event.cargo().value(), event.at());
    }

    @EventHandler
    void on(CargoVersionYanked event) {
        forget(event.cargo().value(), event.at());
    }

    private void forget(String cargo, Instant before) {
        cache.forgetCargo(cargo, before);
    }
}

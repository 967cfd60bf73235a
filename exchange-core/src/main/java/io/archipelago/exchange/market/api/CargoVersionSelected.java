package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;

/**
 * New jobs of {@code cargo} run {@code version} from now on, as rollout {@code rollout} decided, for {@code reason};
 * until the version is deprecated or yanked, or another is published or selected. Jobs pinned to a version by a
 * running rollout keep their pin.
 */
public record CargoVersionSelected(CargoType cargo, String version, String rollout, String reason, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A version was yanked by {@code by} (its publisher, or the platform: a yank for cause): no job is placed on it
 * again; jobs already running on it finish. {@code publisher} is the version's publisher, so that a yank for cause
 * reaches it without a lookup; null in events stored before it was recorded.
 */
public record CargoVersionYanked(CargoType cargo, String version, AccountId by, @Nullable AccountId publisher,
                                 String reason, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;

/**
 * An account that ran a version reviewed it; {@code edition} is 1 for the first review and counts each edit, which
 * replaces the one before.
 */
public record CargoVersionReviewed(CargoType cargo, String version, AccountId reviewer, int stars,
                                   boolean complaint, String text, int edition, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;

/**
 * The job just placed runs {@code version} of its Cargo type (image {@code image}): its royalty per unit goes to
 * {@code publisher} when it settles. Follows the {@code JobPlaced} it belongs to, in the same unit of work.
 */
public record JobVersionAssigned(CargoType cargo, JobId jobId, String version, AccountId publisher,
                                 CargoImage image, PricePerUnit royalty, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;

/**
 * The consumer's escrow for a pipeline job was reserved, just before its {@link PipelinePlaced}: {@code escrow} is
 * {@code limit} (micro-credits per unit, for the whole pipeline) times {@code maxUnits}, the most it can be charged
 * over all its stages together.
 */
public record PipelineFunded(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                             MicroCredits escrow, Instant at) {
}

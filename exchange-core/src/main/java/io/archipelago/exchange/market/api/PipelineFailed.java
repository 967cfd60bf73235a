package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A pipeline job failed and its whole escrow ({@code released}) went back to the consumer; {@code fault} is the
 * stage's Island that lost it, or null.
 */
public record PipelineFailed(CargoType cargo, JobId jobId, AccountId consumer, @Nullable IslandId fault,
                             String reason, MicroCredits released, Instant at) {
}

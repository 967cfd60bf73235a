package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A pipeline job cannot finish: its escrow goes back to the consumer. {@code fault} is the stage's Island that lost
 * it (its karma records the failure), or null when no stage is to blame.
 */
public record FailPipeline(@TargetAggregateIdentifier CargoType cargo, JobId jobId, @Nullable IslandId fault,
                           String reason, Instant at) {
}

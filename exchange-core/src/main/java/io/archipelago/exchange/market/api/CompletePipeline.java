package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The last stage of a pipeline job returned its final output: {@code units} (of the Cargo's unit, at most the job's
 * maximum) are settled on every stage.
 */
public record CompletePipeline(@TargetAggregateIdentifier CargoType cargo, JobId jobId, long units, Instant at) {
}

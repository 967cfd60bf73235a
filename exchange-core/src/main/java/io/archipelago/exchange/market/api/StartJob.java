package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The Island sent the first token or progress of a job, {@code ttftMicros} after placement. */
public record StartJob(@TargetAggregateIdentifier CargoType cargo, JobId jobId, long ttftMicros, Instant at) {
}

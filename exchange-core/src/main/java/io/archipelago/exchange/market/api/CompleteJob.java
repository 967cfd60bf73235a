package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The Island finished a job and reported the units it used; the job settles at its placed price. */
public record CompleteJob(@TargetAggregateIdentifier CargoType cargo, JobId jobId, long units, Instant at) {
}

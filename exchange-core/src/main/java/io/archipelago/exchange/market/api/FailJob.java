package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A job failed on its Island; the consumer's escrow is refunded in full. */
public record FailJob(@TargetAggregateIdentifier CargoType cargo, JobId jobId, String reason, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The consumer left before its job ended (closed the connection, aborted the request): stop the job and settle what
 * reached the consumer. {@code unitsDelivered} are the units the consumer received before it left, never negative; a
 * job settles at most its maximum units and never more than it was placed for. A resting bid is withdrawn whole.
 */
public record CancelJob(@TargetAggregateIdentifier CargoType cargo, JobId jobId, long unitsDelivered, String reason,
                        Instant at) {
}

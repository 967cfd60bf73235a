package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A placed job was lost by its Island before it streamed anything (the Island went silent, refused it, stalled or
 * sent a malformed result): take it back and place it on the next eligible Island, never that one again. A job
 * that already streamed output cannot move; it fails instead ({@link FailJob}).
 */
public record ReassignJob(@TargetAggregateIdentifier CargoType cargo, JobId jobId, String reason, Instant at) {
}

package io.archipelago.projections.deadletter;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An event a processor's handler failed on, parked with the failure's type and message; {@code aggregateId} and
 * {@code sequence} say which aggregate's events wait behind it (each aggregate is a sequence of its own).
 */
public record DeadLetterView(String processor, String eventId, String payloadType, @Nullable String aggregateId,
                             @Nullable Long sequence, Instant timestamp, @Nullable String causeType,
                             @Nullable String causeMessage, Instant enqueuedAt, Instant lastTouched) {
}

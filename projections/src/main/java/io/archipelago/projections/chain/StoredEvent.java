package io.archipelago.projections.chain;

import org.jspecify.annotations.Nullable;

/** A {@code domain_event_entry} row: its position in the store and the columns its link covers, as stored. */
record StoredEvent(long globalIndex, String identifier, @Nullable String aggregateIdentifier,
                   @Nullable Long sequenceNumber, String payloadType, String timestamp, byte[] payload) {
}

package io.archipelago.projections.chain;

import org.jspecify.annotations.Nullable;

/** The columns of a {@code domain_event_entry} row that its link covers, as stored. */
record StoredEvent(String identifier, @Nullable String aggregateIdentifier, @Nullable Long sequenceNumber,
                   String payloadType, String timestamp, byte[] payload) {
}

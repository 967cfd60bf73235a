package io.archipelago.projections.chain;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A {@code domain_event_entry} row as stored, every column its link covers: its position in the store
 * ({@code global_index}), identifier, aggregate type, identifier and sequence, payload type and revision, time,
 * payload and metadata.
 */
public record StoredEvent(long globalIndex, String identifier, @Nullable String type,
                          @Nullable String aggregateIdentifier, @Nullable Long sequenceNumber, String payloadType,
                          @Nullable String payloadRevision, String timestamp, byte[] payload,
                          byte @Nullable [] metaData) {

    /** The columns {@link #read} reads, for a query on {@code domain_event_entry} as {@code e}. */
    public static final String COLUMNS = "e.global_index, e.event_identifier, e.type, e.aggregate_identifier,"
            + " e.sequence_number, e.payload_type, e.payload_revision, e.time_stamp, e.payload, e.meta_data";

    /** The event in the current row of a query selecting {@link #COLUMNS}. */
    public static StoredEvent read(ResultSet row) throws SQLException {
        long sequence = row.getLong("sequence_number");
        @Nullable Long sequenceNumber = row.wasNull() ? null : sequence;
        return new StoredEvent(row.getLong("global_index"), row.getString("event_identifier"), row.getString("type"),
                row.getString("aggregate_identifier"), sequenceNumber, row.getString("payload_type"),
                row.getString("payload_revision"), row.getString("time_stamp"), row.getBytes("payload"),
                row.getBytes("meta_data"));
    }
}

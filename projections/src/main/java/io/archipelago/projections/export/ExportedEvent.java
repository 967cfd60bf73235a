package io.archipelago.projections.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event as the topic carries it: the Kafka key is {@code aggregateId}; the value is JSON with the event's
 * identifier, its type (simple and full class name), its aggregate's type, identifier and {@code sequence} (0, 1, 2…
 * per aggregate), its {@code position} in the global event stream, its timestamp and the payload exactly as stored.
 * Consumers that may see an event twice (after a coordinator crash) keep the first of each
 * {@code (aggregateId, sequence)}.
 */
record ExportedEvent(String eventId, String payloadType, @Nullable String aggregateType, String aggregateId,
                     long sequence, long position, Instant timestamp, byte[] payloadJson) {

    private static final JsonFactory JSON = new JsonFactory();

    byte[] key() {
        return aggregateId.getBytes(StandardCharsets.UTF_8);
    }

    byte[] value() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payloadJson.length + 320);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("eventId", eventId);
            json.writeStringField("type", payloadType.substring(payloadType.lastIndexOf('.') + 1));
            json.writeStringField("payloadType", payloadType);
            json.writeStringField("aggregateType", aggregateType);
            json.writeStringField("aggregateId", aggregateId);
            json.writeNumberField("sequence", sequence);
            json.writeNumberField("position", position);
            json.writeStringField("timestamp", timestamp.toString());
            json.writeFieldName("payload");
            json.writeRawValue(new String(payloadJson, StandardCharsets.UTF_8));
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toByteArray();
    }
}

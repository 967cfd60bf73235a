package io.archipelago.projections.chain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The hash chain over the event store: {@code H(n) = SHA-256(H(n-1) ‖ canonical bytes of event n)}, from
 * {@link #GENESIS}. The canonical bytes of an event are the whole row as stored in {@code domain_event_entry}: its
 * global index (8 bytes), identifier, aggregate type, aggregate identifier, sequence number (8 bytes, -1 when absent),
 * payload type, payload revision, timestamp, payload and metadata; each text as a 4-byte big-endian length and its
 * UTF-8 bytes (an absent one as empty), the payload and the metadata as a 4-byte length and their bytes (absent
 * metadata as length -1). Any
 * change to a stored event, or to its place in the store, changes its link and every link after it. Not thread-safe:
 * one per thread.
 */
public final class EventChain {

    /** The link before the first event. */
    public static final byte[] GENESIS = new byte[32];

    private final MessageDigest sha256;
    private final ByteBuffer number = ByteBuffer.allocate(Long.BYTES);

    public EventChain() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }

    /** The link of {@code event} after {@code previous}. */
    public byte[] next(byte[] previous, StoredEvent event) {
        sha256.reset();
        sha256.update(previous);
        number(event.globalIndex());
        text(event.identifier());
        text(event.type());
        text(event.aggregateIdentifier());
        number(event.sequenceNumber() == null ? -1 : event.sequenceNumber());
        text(event.payloadType());
        text(event.payloadRevision());
        text(event.timestamp());
        bytes(event.payload());
        bytes(event.metaData());
        return sha256.digest();
    }

    private void number(long value) {
        sha256.update(number.clear().putLong(value).array());
    }

    private void bytes(byte @Nullable [] value) {
        if (value == null) {
            length(-1);
        } else {
            length(value.length);
            sha256.update(value);
        }
    }

    private void text(@Nullable String value) {
        byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
        length(bytes.length);
        sha256.update(bytes);
    }

    private void length(int length) {
        sha256.update(number.clear().putInt(length).array(), 0, Integer.BYTES);
    }

    /** A link as lower-case hex, as {@code event_chain} stores it and reports print it. */
    public static String hex(byte[] link) {
        return HexFormat.of().formatHex(link);
    }

    /** A link from its hex form. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}

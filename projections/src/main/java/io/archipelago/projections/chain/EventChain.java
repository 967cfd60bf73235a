package io.archipelago.projections.chain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The hash chain over the event store: {@code H(n) = SHA-256(H(n-1) ‖ canonical bytes of event n)}, from
 * {@link #GENESIS}. The canonical bytes of an event are, as stored in {@code domain_event_entry}, its identifier,
 * aggregate identifier, sequence number, payload type, timestamp and payload: each text as a 4-byte big-endian length
 * and its UTF-8 bytes, the sequence as 8 bytes (-1 when absent), the payload as a 4-byte length and its bytes. Any
 * change to a stored event changes its link and every link after it. Not thread-safe: one per thread.
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

    /** The link of an event after {@code previous}. */
    public byte[] next(byte[] previous, String eventIdentifier, @Nullable String aggregateIdentifier,
                       @Nullable Long sequenceNumber, String payloadType, String timestamp, byte[] payload) {
        sha256.reset();
        sha256.update(previous);
        text(eventIdentifier);
        text(aggregateIdentifier == null ? "" : aggregateIdentifier);
        sha256.update(number.clear().putLong(sequenceNumber == null ? -1 : sequenceNumber).array());
        text(payloadType);
        text(timestamp);
        length(payload.length);
        sha256.update(payload);
        return sha256.digest();
    }

    private void text(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
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

package io.archipelago.bridge.stream;

import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;

/**
 * One piece of a job's output: {@code seq} counts from 0 without gaps; {@code payload} is what the Island sent, a
 * text delta or another typed payload.
 */
public record StreamChunk(String jobId, long seq, Payload payload) {

    public StreamChunk {
        if (payload == null) {
            throw new IllegalArgumentException("a chunk carries a payload");
        }
    }

    /** A text chunk. */
    public StreamChunk(String jobId, long seq, String text) {
        this(jobId, seq, Payloads.TextDelta.of(text));
    }

    /** The text delta of a text chunk; empty for a chunk of any other payload type. */
    public String text() {
        return payload instanceof Payloads.TextDelta delta ? delta.delta() : "";
    }
}

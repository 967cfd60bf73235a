package io.archipelago.agent;

import io.archipelago.protocol.ArtifactReference;
import io.archipelago.protocol.InlineArtifacts;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a runtime writes a job's output, piece by piece; the agent numbers and sends each piece in order. Every
 * payload checks itself when built, so a runtime that would send a malformed one fails before anything leaves.
 */
interface Output {

    /** Sends one typed piece of output. */
    void send(Payload payload);

    /** Whether the coordinator took the job away: a runtime stops as soon as it sees this. */
    boolean cancelled();

    /** Sends a piece of text (a token or more). */
    default void chunk(String text) {
        send(Payloads.TextDelta.of(text));
    }

    /** Reports {@code value} of {@code max} steps done, in an optional {@code stage}. */
    default void progress(long value, long max, @Nullable String stage) {
        send(Payloads.Progress.of(value, max, stage));
    }

    /** Sends a reference to an artifact already put in an artifact store. */
    default void artifact(ArtifactReference ref) {
        send(Payloads.Artifact.of(ref));
    }

    /**
     * Sends {@code bytes} of {@code contentType} inside the job's output, as bounded parts and then their reference,
     * for a coordinator that shares no store with this Island.
     */
    default void inlineArtifact(byte[] bytes, String contentType) {
        InlineArtifacts.payloads(bytes, contentType).forEach(this::send);
    }

    /** As {@link #inlineArtifact}, for partial artifact number {@code partial}: an early look at the next result. */
    default void inlinePartialArtifact(byte[] bytes, String contentType, int partial) {
        InlineArtifacts.payloads(bytes, contentType, partial).forEach(this::send);
    }

    /** Sends the embedding vector of input number {@code index}. */
    default void embedding(int index, float[] vector) {
        send(Payloads.Embedding.of(index, vector));
    }

    /** Sends a tensor of {@code dtype} and {@code shape} whose row-major little-endian elements are {@code bytes}. */
    default void tensor(Payloads.Dtype dtype, List<Long> shape, byte[] bytes) {
        send(Payloads.Tensor.of(dtype, shape, bytes));
    }

    /** Sends output sealed to the consumer's key {@code keyId}; both strings are Base64. */
    default void sealed(String keyId, @Nullable String encapsulation, String ciphertext) {
        send(new Payloads.Sealed(Payload.VERSION, keyId, encapsulation, ciphertext));
    }

    /** Reports the units used so far; the final message still carries the units settled. */
    default void usage(long units) {
        send(Payloads.Usage.of(units));
    }
}

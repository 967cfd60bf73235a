package io.archipelago.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The typed content of one {@link JobOutput} chunk, named on the wire by {@code "type"} and versioned by its own
 * {@code v} ({@link #VERSION} is the only one read). Every payload checks itself when built, so a malformed one from
 * an Island is refused by {@link Codec} as a {@link RejectedMessage} and never reaches a consumer.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Payloads.TextDelta.class, name = "text"),
    @JsonSubTypes.Type(value = Payloads.Progress.class, name = "progress"),
    @JsonSubTypes.Type(value = Payloads.Artifact.class, name = "artifact"),
    @JsonSubTypes.Type(value = Payloads.ArtifactPart.class, name = "artifact_part"),
    @JsonSubTypes.Type(value = Payloads.Embedding.class, name = "embedding"),
    @JsonSubTypes.Type(value = Payloads.Tensor.class, name = "tensor"),
    @JsonSubTypes.Type(value = Payloads.Sealed.class, name = "sealed"),
    @JsonSubTypes.Type(value = Payloads.Usage.class, name = "usage")
})
public sealed interface Payload permits Payloads.TextDelta, Payloads.Progress, Payloads.Artifact,
        Payloads.ArtifactPart, Payloads.Embedding, Payloads.Tensor, Payloads.Sealed, Payloads.Usage {

    /** The only payload version this build writes and reads. */
    int VERSION = 1;

    /** The payload version it was written in. */
    int v();

    /** Refuses a payload of another version than {@link #VERSION}. */
    static void version(int v) {
        if (v != VERSION) {
            throw new IllegalArgumentException("payload version " + v + " is not " + VERSION);
        }
    }
}

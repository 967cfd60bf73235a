package io.archipelago.protocol;

import java.io.IOException;

/**
 * Holds artifacts too large for a message: an Island puts bytes and sends the reference in a
 * {@link Payloads.Artifact}; the coordinator opens the reference. Both ends check size and SHA-256.
 */
public interface ArtifactStore {

    /** The largest artifact this store takes or returns, in bytes. */
    long maxBytes();

    /**
     * Stores {@code bytes} of {@code contentType}.
     *
     * @throws IllegalArgumentException when the bytes exceed {@link #maxBytes()} or the content type is malformed
     */
    ArtifactReference put(byte[] bytes, String contentType) throws IOException;

    /**
     * The bytes {@code ref} names, checked against its size and SHA-256.
     *
     * @throws IOException when they are missing, not this store's, too large, or not the bytes referenced
     */
    byte[] open(ArtifactReference ref) throws IOException;
}

package io.archipelago.protocol;

/**
 * Where a stored artifact is and what it is: {@code location} (an absolute URI, at most 2048 printable ASCII
 * characters, read only by an {@link ArtifactStore} that knows its scheme), {@code contentType} (a lower-case MIME
 * type), {@code sizeBytes} (>= 0) and {@code sha256} (64 lower-case hex digits of the bytes' SHA-256), so whoever
 * fetches it can check it got exactly those bytes.
 */
public record ArtifactReference(String location, String contentType, long sizeBytes, String sha256) {

    public ArtifactReference {
        if (!Payloads.isLocation(location)) {
            throw new IllegalArgumentException("an artifact's location is an absolute URI of printable ASCII");
        }
        if (!Payloads.isContentType(contentType)) {
            throw new IllegalArgumentException("an artifact's content type is a lower-case MIME type, got "
                    + contentType);
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("an artifact's size is never negative, got " + sizeBytes);
        }
        if (!Payloads.isSha256Hex(sha256)) {
            throw new IllegalArgumentException("an artifact's sha256 is 64 lower-case hex digits");
        }
    }
}

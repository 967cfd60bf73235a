package io.archipelago.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Artifacts that travel inside the job's own output, for an Island that shares no disk or store with the
 * coordinator: the bytes go as {@link Payloads.ArtifactPart}s in order, then one {@link Payloads.Artifact} whose
 * location is {@code inline:<sha256>}. A reader gives each chunk to an {@link Assembly}, which joins the parts of one
 * artifact, refuses a part out of order or beyond its size limit, and hands back the bytes only when they match the
 * reference's size and SHA-256.
 */
public final class InlineArtifacts {

    /** The location scheme of an artifact whose bytes came in the job's own output. */
    public static final String SCHEME = "inline";

    private InlineArtifacts() {
    }

    /** The payloads that carry {@code bytes} of {@code contentType}: its parts, then its reference. */
    public static List<Payload> payloads(byte[] bytes, String contentType) {
        return payloads(bytes, contentType, null);
    }

    /** As {@link #payloads(byte[], String)}, for partial artifact number {@code partial} when it is not null. */
    public static List<Payload> payloads(byte[] bytes, String contentType, @Nullable Integer partial) {
        String sha256 = sha256(bytes);
        List<Payload> payloads = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += Payloads.MAX_PART_BYTES) {
            int end = Math.min(bytes.length, offset + Payloads.MAX_PART_BYTES);
            payloads.add(Payloads.ArtifactPart.of(sha256, offset, Arrays.copyOfRange(bytes, offset, end)));
        }
        payloads.add(new Payloads.Artifact(Payload.VERSION, reference(bytes.length, sha256, contentType), partial));
        return payloads;
    }

    /** The reference of inline bytes: {@code inline:<sha256>}. */
    public static ArtifactReference reference(long sizeBytes, String sha256, String contentType) {
        return new ArtifactReference(SCHEME + ":" + sha256, contentType, sizeBytes, sha256);
    }

    /** Whether {@code ref} names bytes that came inline. */
    public static boolean isInline(ArtifactReference ref) {
        return ref.location().equals(SCHEME + ":" + ref.sha256());
    }

    /** The lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Joins the parts of one job's inline artifacts, one artifact at a time, up to {@code maxBytes} each. */
    public static final class Assembly {

        private final long maxBytes;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private @Nullable String sha256;

        public Assembly(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /**
         * Takes the next part.
         *
         * @throws IOException when it belongs to another artifact than the one begun, is out of order, or would
         *                     make the artifact larger than the limit
         */
        public void add(Payloads.ArtifactPart part) throws IOException {
            if (sha256 == null) {
                sha256 = part.sha256();
            }
            if (!sha256.equals(part.sha256())) {
                throw new IOException("a part of artifact " + part.sha256() + " came before " + sha256 + " ended");
            }
            if (part.offset() != bytes.size()) {
                throw new IOException("a part at offset " + part.offset() + " came where " + bytes.size()
                        + " was next");
            }
            byte[] piece = part.bytes();
            if (bytes.size() + (long) piece.length > maxBytes) {
                throw new IOException("artifact " + sha256 + " is over the " + maxBytes + " bytes allowed");
            }
            bytes.write(piece, 0, piece.length);
        }

        /**
         * Ends the artifact {@code ref} names and gives its bytes; the assembly is then ready for the next one.
         *
         * @throws IOException when {@code ref} is not inline, or the parts received are not its size and hash
         */
        public byte[] complete(ArtifactReference ref) throws IOException {
            try {
                if (!isInline(ref)) {
                    throw new IOException("artifact " + ref.location() + " did not come inline");
                }
                if (ref.sizeBytes() > maxBytes) {
                    throw new IOException("artifact " + ref.sha256() + " is over the " + maxBytes + " bytes allowed");
                }
                byte[] whole = bytes.toByteArray();
                if (whole.length != ref.sizeBytes() || !sha256(whole).equals(ref.sha256())) {
                    throw new IOException("the parts received (" + whole.length + " bytes) are not artifact "
                            + ref.sha256() + " of " + ref.sizeBytes() + " bytes");
                }
                return whole;
            } finally {
                bytes.reset();
                sha256 = null;
            }
        }
    }
}

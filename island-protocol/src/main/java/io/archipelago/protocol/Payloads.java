package io.archipelago.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The payload types a {@link JobOutput} chunk carries; each checks its own invariants in its compact constructor. */
public final class Payloads {

    /** The most dimensions an embedding vector has. */
    public static final int MAX_DIMENSIONS = 65_536;

    /** The most axes a tensor has. */
    public static final int MAX_RANK = 8;

    /** The most bytes one {@link ArtifactPart} carries, decoded: its message stays under {@code Codec.MAX_BYTES}. */
    public static final int MAX_PART_BYTES = 131_072;

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9][a-z0-9.+-]{0,62}/[a-z0-9][a-z0-9.+-]{0,62}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int MAX_STAGE = 128;
    private static final int MAX_LOCATION = 2048;

    private Payloads() {
    }

    /** A piece of generated text (a token or more), appended to what came before. May be empty. */
    public record TextDelta(int v, String delta) implements Payload {

        public TextDelta {
            Payload.version(v);
            if (delta == null) {
                throw new IllegalArgumentException("a text delta carries text");
            }
        }

        public static TextDelta of(String delta) {
            return new TextDelta(VERSION, delta);
        }
    }

    /**
     * How far a job has come: {@code value} of {@code max} (0 <= value <= max, max >= 1, in the runtime's own steps),
     * in an optional {@code stage} such as "denoising" (at most 128 printable ASCII characters).
     */
    public record Progress(int v, long value, long max, @Nullable String stage) implements Payload {

        public Progress {
            Payload.version(v);
            if (max < 1 || value < 0 || value > max) {
                throw new IllegalArgumentException("progress is 0 <= value <= max with max >= 1, got " + value + "/"
                        + max);
            }
            if (stage != null && (stage.length() > MAX_STAGE || !stage.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
                throw new IllegalArgumentException("a stage is at most " + MAX_STAGE + " printable ASCII characters");
            }
        }

        public static Progress of(long value, long max, @Nullable String stage) {
            return new Progress(VERSION, value, max, stage);
        }
    }

    /**
     * A result too large or too binary for a message (an image, a file), stored and referenced by {@code ref}. A
     * {@code partial} artifact (its number, from 0) is an early look at the result that follows it, such as a
     * half-denoised image: a reader may show it, and counts and keeps only the final one (no {@code partial}).
     */
    public record Artifact(int v, ArtifactReference ref,
                           @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer partial) implements Payload {

        public Artifact {
            Payload.version(v);
            if (ref == null) {
                throw new IllegalArgumentException("an artifact says where it is");
            }
            if (partial != null && partial < 0) {
                throw new IllegalArgumentException("a partial artifact's number is never negative, got " + partial);
            }
        }

        /** A final artifact. */
        public Artifact(int v, ArtifactReference ref) {
            this(v, ref, null);
        }

        public static Artifact of(ArtifactReference ref) {
            return new Artifact(VERSION, ref, null);
        }

        /** Partial artifact number {@code partial} of the result to come. */
        public static Artifact partial(ArtifactReference ref, int partial) {
            return new Artifact(VERSION, ref, partial);
        }
    }

    /**
     * One piece of an artifact's bytes, sent on the job's output subject before the {@link Artifact} that names them
     * with an {@code inline:} location: the artifact's {@code sha256} (64 lower-case hex digits), the {@code offset}
     * of this piece (0 for the first, then the number of bytes sent before it) and its Base64 {@code data}, 1 to
     * {@link #MAX_PART_BYTES} bytes once decoded. {@link InlineArtifacts} splits and joins them.
     */
    public record ArtifactPart(int v, String sha256, long offset, String data) implements Payload {

        public ArtifactPart {
            Payload.version(v);
            if (!isSha256Hex(sha256)) {
                throw new IllegalArgumentException("an artifact part names its artifact's sha256, 64 lower-case hex");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("an artifact part's offset is never negative, got " + offset);
            }
            int length = base64("artifact part data", data).length;
            if (length < 1 || length > MAX_PART_BYTES) {
                throw new IllegalArgumentException("an artifact part holds 1 to " + MAX_PART_BYTES + " bytes, got "
                        + length);
            }
        }

        public static ArtifactPart of(String sha256, long offset, byte[] bytes) {
            return new ArtifactPart(VERSION, sha256, offset, Base64.getEncoder().encodeToString(bytes));
        }

        /** The piece's bytes, decoded. */
        public byte[] bytes() {
            return Base64.getDecoder().decode(data);
        }
    }

    /** The embedding vector of input number {@code index}: 1 to {@link #MAX_DIMENSIONS} finite float32 values. */
    public record Embedding(int v, int index, float[] vector) implements Payload {

        public Embedding {
            Payload.version(v);
            if (index < 0) {
                throw new IllegalArgumentException("an embedding's index is never negative, got " + index);
            }
            if (vector == null || vector.length == 0 || vector.length > MAX_DIMENSIONS) {
                throw new IllegalArgumentException("an embedding has 1 to " + MAX_DIMENSIONS + " dimensions");
            }
            for (float value : vector) {
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException("an embedding holds finite numbers only");
                }
            }
            vector = vector.clone();
        }

        public static Embedding of(int index, float[] vector) {
            return new Embedding(VERSION, index, vector);
        }

        @Override
        public float[] vector() {
            return vector.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Embedding that && v == that.v && index == that.index
                    && Arrays.equals(vector, that.vector);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * v + index) + Arrays.hashCode(vector);
        }

        @Override
        public String toString() {
            return "Embedding[v=" + v + ", index=" + index + ", dimensions=" + vector.length + "]";
        }
    }

    /** The element type of a {@link Tensor}, with its size in bytes; elements are little-endian. */
    public enum Dtype {
        float32(4), float16(2), bfloat16(2), float64(8), int8(1), uint8(1), int32(4), int64(8), bool(1);

        private final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        /** The size of one element, in bytes. */
        public int bytes() {
            return bytes;
        }
    }

    /**
     * A binary tensor, such as a pipeline stage's activations: {@code shape} (0 to {@link #MAX_RANK} axes, each
     * >= 0), row-major little-endian elements of {@code dtype}, in Base64 {@code data} whose decoded length is the
     * product of the shape times the element size.
     */
    public record Tensor(int v, Dtype dtype, List<Long> shape, String data) implements Payload {

        public Tensor {
            Payload.version(v);
            if (dtype == null || shape == null || data == null || shape.size() > MAX_RANK) {
                throw new IllegalArgumentException("a tensor has a dtype, at most " + MAX_RANK + " axes and data");
            }
            shape = List.copyOf(shape);
            long elements = 1;
            for (Long axis : shape) {
                if (axis < 0) {
                    throw new IllegalArgumentException("a tensor's axes are never negative, got " + shape);
                }
                elements = Math.multiplyExact(elements, axis);
            }
            long expected = Math.multiplyExact(elements, (long) dtype.bytes());
            long actual = base64("tensor data", data).length;
            if (actual != expected) {
                throw new IllegalArgumentException("shape " + shape + " of " + dtype + " is " + expected
                        + " bytes, the data " + actual);
            }
        }

        public static Tensor of(Dtype dtype, List<Long> shape, byte[] bytes) {
            return new Tensor(VERSION, dtype, shape, Base64.getEncoder().encodeToString(bytes));
        }

        /** The tensor's bytes, decoded. */
        public byte[] bytes() {
            return Base64.getDecoder().decode(data);
        }
    }

    /**
     * Output of an end-to-end encrypted job, opaque to the coordinator: Base64 {@code ciphertext} (not empty), the
     * {@code keyId} of the consumer key it is sealed to, and the Base64 {@code encapsulation} (HPKE's enc) when the
     * scheme has one.
     */
    public record Sealed(int v, String keyId, @Nullable String encapsulation, String ciphertext) implements Payload {

        public Sealed {
            Payload.version(v);
            if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
                throw new IllegalArgumentException("a key id is 1-128 letters, digits, '.', '_', ':' or '-'");
            }
            if (encapsulation != null) {
                base64("an encapsulation", encapsulation);
            }
            if (base64("a ciphertext", ciphertext).length == 0) {
                throw new IllegalArgumentException("a ciphertext is not empty");
            }
        }
    }

    /** What the job has used so far, in the units its market prices (never negative). */
    public record Usage(int v, long units) implements Payload {

        public Usage {
            Payload.version(v);
            if (units < 0) {
                throw new IllegalArgumentException("units are never negative, got " + units);
            }
        }

        public static Usage of(long units) {
            return new Usage(VERSION, units);
        }
    }

    static boolean isSha256Hex(@Nullable String value) {
        return value != null && HEX_SHA256.matcher(value).matches();
    }

    static boolean isContentType(@Nullable String value) {
        return value != null && CONTENT_TYPE.matcher(value).matches();
    }

    static boolean isLocation(@Nullable String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_LOCATION
                && value.chars().allMatch(c -> c > 0x20 && c < 0x7f) && value.indexOf(':') > 0;
    }

    private static byte[] base64(String what, @Nullable String value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is Base64");
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(what + " is not Base64");
        }
    }
}

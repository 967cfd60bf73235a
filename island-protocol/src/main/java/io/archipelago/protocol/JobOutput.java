package io.archipelago.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * What an Island sends back for a job, in order: {@link Kind#CHUNK} messages numbered by {@code seq} from 0, then one
 * {@link Kind#DONE} whose {@code seq} is the number of chunks sent and whose {@code units} are the units used, or one
 * {@link Kind#ERROR} with its {@code error}. A chunk carries exactly one of {@code text} (a text delta, the form
 * protocol version 1 always had) or a typed {@code payload} of another type ({@link #body()} gives either as a
 * {@link Payload}). A final message may carry a {@link Payloads.Usage} payload equal to its {@code units}.
 */
public record JobOutput(int v, String jobId, Kind kind, long seq, @Nullable String text, long units,
                        @Nullable String error, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Payload payload)
        implements Message {

    /** What a {@link JobOutput} carries. */
    public enum Kind {
        /** One piece of output, {@code seq} counted from 0. */
        CHUNK,
        /** The job finished after {@code seq} chunks, using {@code units}. */
        DONE,
        /** The job failed on the Island. */
        ERROR
    }

    public JobOutput {
        Ids.id("a job id", jobId);
        if (kind == null) {
            throw new IllegalArgumentException("an output says whether it is a chunk, the end or an error");
        }
        if (seq < 0 || units < 0) {
            throw new IllegalArgumentException("sequence numbers and units are never negative");
        }
        if (kind == Kind.CHUNK && (text == null) == (payload == null)) {
            throw new IllegalArgumentException("a chunk carries either text or a payload");
        }
        if (payload instanceof Payloads.TextDelta) {
            throw new IllegalArgumentException("a text delta travels as the chunk's text");
        }
        if (kind != Kind.CHUNK && text != null) {
            throw new IllegalArgumentException("only a chunk carries text");
        }
        if (kind == Kind.DONE && payload != null
                && !(payload instanceof Payloads.Usage usage && usage.units() == units)) {
            throw new IllegalArgumentException("a final message carries at most its usage, equal to its units");
        }
        if (kind == Kind.ERROR && payload != null) {
            throw new IllegalArgumentException("an error carries no payload");
        }
        if (kind == Kind.ERROR && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("an error says what went wrong");
        }
    }

    /** An output without a typed payload, the shape protocol version 1 began with. */
    public JobOutput(int v, String jobId, Kind kind, long seq, @Nullable String text, long units,
                     @Nullable String error) {
        this(v, jobId, kind, seq, text, units, error, null);
    }

    /** What a chunk carries, a text delta included; null for the final message without usage and for an error. */
    public @Nullable Payload body() {
        return text != null ? Payloads.TextDelta.of(text) : payload;
    }

    public static JobOutput chunk(String jobId, long seq, String text) {
        return new JobOutput(Codec.VERSION, jobId, Kind.CHUNK, seq, text, 0, null, null);
    }

    /** A chunk of any payload type; a text delta is written as the chunk's text, as version 1 readers expect. */
    public static JobOutput chunk(String jobId, long seq, Payload payload) {
        return payload instanceof Payloads.TextDelta delta ? chunk(jobId, seq, delta.delta())
                : new JobOutput(Codec.VERSION, jobId, Kind.CHUNK, seq, null, 0, null, payload);
    }

    public static JobOutput done(String jobId, long chunks, long units) {
        return new JobOutput(Codec.VERSION, jobId, Kind.DONE, chunks, null, units, null, null);
    }

    public static JobOutput error(String jobId, String error) {
        return new JobOutput(Codec.VERSION, jobId, Kind.ERROR, 0, null, 0, error, null);
    }
}

package io.archipelago.protocol;

import org.jspecify.annotations.Nullable;

/**
 * What an Island sends back for a job, in order: {@link Kind#CHUNK} messages numbered by {@code seq} from 0 (a token,
 * a piece of text, a progress report or an embedding as JSON in {@code text}), then one {@link Kind#DONE} whose
 * {@code seq} is the number of chunks sent and whose {@code units} are the units used, or one {@link Kind#ERROR}
 * with its {@code error}.
 */
public record JobOutput(int v, String jobId, Kind kind, long seq, @Nullable String text, long units,
                        @Nullable String error) implements Message {

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
        if (kind == Kind.CHUNK && text == null) {
            throw new IllegalArgumentException("a chunk carries text");
        }
        if (kind == Kind.ERROR && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("an error says what went wrong");
        }
    }

    public static JobOutput chunk(String jobId, long seq, String text) {
        return new JobOutput(Codec.VERSION, jobId, Kind.CHUNK, seq, text, 0, null);
    }

    public static JobOutput done(String jobId, long chunks, long units) {
        return new JobOutput(Codec.VERSION, jobId, Kind.DONE, chunks, null, units, null);
    }

    public static JobOutput error(String jobId, String error) {
        return new JobOutput(Codec.VERSION, jobId, Kind.ERROR, 0, null, 0, error);
    }
}

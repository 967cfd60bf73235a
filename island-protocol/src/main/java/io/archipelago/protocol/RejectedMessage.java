package io.archipelago.protocol;

/** A message that could not be read, and why; the reader counts it and goes on. */
public final class RejectedMessage extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a message was refused. */
    public enum Reason {
        /** Larger than {@link Codec#MAX_BYTES}. */
        OVERSIZED,
        /** Not JSON, or not of the expected shape. */
        MALFORMED,
        /** Written in a protocol version this build does not read. */
        UNKNOWN_VERSION,
        /** Well formed, but not allowed where it came from (e.g. results for a job of another Island). */
        UNEXPECTED
    }

    private final Reason reason;

    public RejectedMessage(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

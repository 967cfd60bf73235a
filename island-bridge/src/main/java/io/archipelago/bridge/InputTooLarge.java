package io.archipelago.bridge;

/** An input larger than {@link InputLimits#maxBytes()}: refused, nothing of it is stored. */
public final class InputTooLarge extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long bytes;
    private final long limit;

    InputTooLarge(long bytes, long limit) {
        super("the job's input is " + bytes + " bytes of JSON, more than the limit of " + limit + " bytes");
        this.bytes = bytes;
        this.limit = limit;
    }

    /** The size of the refused input, in bytes of its compact UTF-8 JSON. */
    public long bytes() {
        return bytes;
    }

    /** The largest input accepted, in bytes. */
    public long limit() {
        return limit;
    }
}

package io.archipelago.bridge.stream;

/**
 * Receives a job's output: chunks in sequence order, each once, then exactly one of {@link #onCompleted},
 * {@link #onFailed} or {@link #onExpired}. Calls for one listener never overlap; a listener that blocks delays only
 * itself.
 */
public interface JobStreamListener {

    void onChunk(StreamChunk chunk);

    /** The job completed and settled after using {@code units}. */
    void onCompleted(long units);

    /** The job failed (and was refunded) or never ran; {@code reason} says why. */
    void onFailed(String reason);

    /**
     * The job never ran: its bid expired before any Island took it, and its escrow was released. Unless a listener
     * tells it apart, it is a failure.
     */
    default void onExpired(String reason) {
        onFailed(reason);
    }
}

package io.archipelago.access;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits on reading request bodies: the largest taken, the longest one may take to arrive whole, and how many
 * bodies one client address may be sending at once. A worker thread waits for a body's bytes, so a client that
 * trickles them could otherwise hold every worker; with these a body holds its thread for at most the read timeout
 * (plus one of the server's socket read timeouts), and one address holds at most {@code perAddress} threads so.
 */
final class BodyLimits {

    private final long maxBytes;
    private final Duration readTimeout;
    private final int perAddress;
    private final Map<String, Integer> reading = new ConcurrentHashMap<>();

    BodyLimits(long maxBytes, Duration readTimeout, int perAddress) {
        this.maxBytes = maxBytes;
        this.readTimeout = readTimeout;
        this.perAddress = perAddress;
    }

    long maxBytes() {
        return maxBytes;
    }

    Duration readTimeout() {
        return readTimeout;
    }

    /** Takes one of {@code address}'s reading slots; false when it is sending as many bodies as it may. */
    boolean enter(String address) {
        boolean[] entered = {false};
        reading.compute(address, (ignored, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perAddress) {
                return count;
            }
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** Gives back a slot taken by {@link #enter}. */
    void leave(String address) {
        reading.compute(address, (ignored, count) -> count == null || count <= 1 ? null : count - 1);
    }
}

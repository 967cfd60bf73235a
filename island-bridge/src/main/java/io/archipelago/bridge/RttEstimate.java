package io.archipelago.bridge;

import java.util.Arrays;

/**
 * An Island's round-trip time as the probes see it: a moving average (the smoothed RTT of TCP, gain 1/8) and its
 * jitter (mean deviation, gain 1/4), in microseconds. The first {@link #WARM_UP} probes only seed the average with
 * their median, because the first round trips of a connection pay for cold paths, not for distance, and the
 * fastest of them would be as untypical as the slowest. The market hears of the average only when it moved
 * meaningfully since it last heard (by 500 µs, a fifth, and more than the jitter), so steady probes cost no events.
 */
final class RttEstimate {

    /** Probes that seed the estimate before it is reported. */
    static final int WARM_UP = 3;

    /** Below this change the market is not told, whatever the ratio: loopback noise is tens of microseconds. */
    static final long MIN_CHANGE_MICROS = 500;

    /** A change of this fraction of the reported figure is worth telling the market. */
    static final double MIN_CHANGE_RATIO = 0.2;

    private double mean;
    private double jitter;
    private long samples;
    private final long[] warmUp = new long[WARM_UP];
    private long reported = -1;

    void add(long rttMicros) {
        samples++;
        if (samples <= WARM_UP) {
            warmUp[(int) samples - 1] = rttMicros;
            long[] seen = Arrays.copyOf(warmUp, (int) samples);
            Arrays.sort(seen);
            mean = seen[seen.length / 2];
            jitter = mean / 2.0;
            return;
        }
        jitter += (Math.abs(rttMicros - mean) - jitter) / 4;
        mean += (rttMicros - mean) / 8;
    }

    long meanMicros() {
        return Math.round(mean);
    }

    long jitterMicros() {
        return Math.round(jitter);
    }

    long samples() {
        return samples;
    }

    /** The figure to send to the market now, or -1 when the last one sent still holds or it is too early. */
    long toReport() {
        if (samples < WARM_UP) {
            return -1;
        }
        long current = meanMicros();
        // a move within the jitter is noise, not distance
        double threshold = Math.max(Math.max(MIN_CHANGE_MICROS, reported * MIN_CHANGE_RATIO), jitter);
        if (reported >= 0 && Math.abs(current - reported) < threshold) {
            return -1;
        }
        reported = current;
        return current;
    }
}

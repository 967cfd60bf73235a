package io.archipelago.bridge;

/**
 * An Island's round-trip time as the probes see it: a moving average (the smoothed RTT of TCP, gain 1/8) and its
 * jitter (mean deviation, gain 1/4), in microseconds. The first {@link #WARM_UP} probes only seed the average with
 * their fastest, because the first round trips of a connection pay for cold paths, not for distance. The market
 * hears of the average only when it moved meaningfully since it last heard, so steady probes cost no events.
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
    private long fastest = Long.MAX_VALUE;
    private long reported = -1;

    void add(long rttMicros) {
        samples++;
        if (samples <= WARM_UP) {
            fastest = Math.min(fastest, rttMicros);
            mean = fastest;
            jitter = fastest / 2.0;
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
        if (reported >= 0 && Math.abs(current - reported) < Math.max(MIN_CHANGE_MICROS, reported * MIN_CHANGE_RATIO)) {
            return -1;
        }
        reported = current;
        return current;
    }
}

package io.archipelago.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latency samples in nanoseconds, recorded from any thread, up to a fixed capacity; percentiles on demand. */
final class Latencies {

    private final long[] samples;
    private final AtomicInteger count = new AtomicInteger();

    Latencies(int capacity) {
        samples = new long[capacity];
    }

    /** Room for a phase of {@code duration} at up to 50,000 samples a second, ten times the goals of these runs. */
    static int capacityFor(Duration duration) {
        return (int) Math.min(100_000_000L, 50_000L * Math.max(1, duration.toSeconds()));
    }

    void record(long nanos) {
        int at = count.getAndIncrement();
        if (at < samples.length) {
            samples[at] = nanos;
        }
    }

    int count() {
        return Math.min(count.get(), samples.length);
    }

    /** The {@code p}-th percentile (0 &lt; p ≤ 100) in milliseconds, nearest-rank; 0 when nothing was recorded. */
    double percentileMillis(double p) {
        long[] sorted = Arrays.copyOf(samples, count());
        if (sorted.length == 0) {
            return 0;
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    String summary() {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%,d samples)",
                percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(100), count());
    }
}

package io.archipelago.coordinator.gateway;

import java.util.Arrays;

/** p50, p90, p99 and max of a sample, in microseconds, nearest rank. */
record Quantiles(int count, long p50, long p90, long p99, long max) {

    static Quantiles of(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return new Quantiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
                sorted[sorted.length - 1]);
    }

    /** Each quantile of {@code this} minus the same quantile of {@code anchor}. */
    Quantiles minus(Quantiles anchor) {
        return new Quantiles(count, p50 - anchor.p50, p90 - anchor.p90, p99 - anchor.p99, max - anchor.max);
    }

    private static long rank(long[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * quantile) - 1)];
    }

    String millis() {
        return String.format("p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %8.3f ms  (%d)", p50 / 1e3, p90 / 1e3,
                p99 / 1e3, max / 1e3, count);
    }
}

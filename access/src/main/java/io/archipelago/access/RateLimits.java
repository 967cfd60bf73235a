package io.archipelago.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket per name (an account, a client address): each holds at most {@code burst} requests and refills at
 * {@code requestsPerSecond}. Buckets are independent, so one name spending its own never slows another; each is
 * locked only by its own name's requests. A bucket idle long enough to be full again is forgotten. Limits are per
 * node.
 */
final class RateLimits {

    private final double perNanosecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Cache<String, Bucket> buckets;

    RateLimits(double requestsPerSecond, int burst, LongSupplier nanoTime) {
        this.perNanosecond = requestsPerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        long refillSeconds = (long) Math.ceil(burst / requestsPerSecond);
        this.buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofSeconds(refillSeconds + 60)).build();
    }

    /** Takes one request from {@code key}'s bucket: 0 when it may pass, else how many seconds until it may. */
    long take(String key) {
        return buckets.get(key, ignored -> new Bucket(burst, nanoTime.getAsLong())).take(nanoTime.getAsLong(), true);
    }

    /** What {@link #take} would answer, taking nothing: for limits counted only when a request fails. */
    long waitFor(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        return bucket == null ? 0 : bucket.take(nanoTime.getAsLong(), false);
    }

    private final class Bucket {

        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now, boolean taking) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNanosecond);
            refilledAt = now;
            if (tokens >= 1) {
                if (taking) {
                    tokens -= 1;
                }
                return 0;
            }
            // whole seconds, rounded up: a client that waits as long as told is let through
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNanosecond / 1e9));
        }
    }
}

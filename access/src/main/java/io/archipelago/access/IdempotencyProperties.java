package io.archipelago.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archipelago.idempotency.*}: the largest answer kept for a retry, in bytes (a larger one reaches its client
 * whole but is not kept); how long a retry waits for the first request with its key to end; how often keys older
 * than 24 hours are swept; the lease a node holds on the keys of the requests it runs ({@code holder-lease}): a key
 * whose node stopped renewing it for that long is taken over by the next retry, on any node.
 */
@ConfigurationProperties("archipelago.idempotency")
record IdempotencyProperties(@DefaultValue("1048576") int maxStoredBytes,
                             @DefaultValue("60s") Duration retryWait,
                             @DefaultValue("10m") Duration sweepInterval,
                             @DefaultValue("10s") Duration holderLease) {

    IdempotencyProperties {
        if (maxStoredBytes < 1 || retryWait.isNegative() || sweepInterval.isNegative() || holderLease.isNegative()
                || holderLease.isZero()) {
            throw new IllegalArgumentException("archipelago.idempotency needs a positive size and no negative time");
        }
    }
}

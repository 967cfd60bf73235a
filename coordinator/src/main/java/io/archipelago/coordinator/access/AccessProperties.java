package io.archipelago.coordinator.access;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archipelago.security.*}: the operator token (unset: one is generated and kept in the data directory), the
 * rate every account key may sustain and burst to, and the largest request body taken, in bytes.
 */
@ConfigurationProperties("archipelago.security")
record AccessProperties(@Nullable String operatorToken,
                        @DefaultValue RateLimit rateLimit,
                        @DefaultValue("1048576") long maxBodyBytes) {

    AccessProperties {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("archipelago.security.max-body-bytes must be positive");
        }
    }

    /** A token bucket per key: refilled at {@code requestsPerSecond}, holding at most {@code burst} requests. */
    record RateLimit(@DefaultValue("50") double requestsPerSecond, @DefaultValue("100") int burst) {

        RateLimit {
            if (requestsPerSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("archipelago.security.rate-limit needs a positive rate and burst");
            }
        }
    }
}

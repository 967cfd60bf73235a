package io.archipelago.access;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archipelago.security.*}: the operator token (unset: one is generated and kept in the data directory), the
 * rate every account (all its keys together) may sustain and burst to, the failed authentications a client address
 * may make (each costs a database read), and the limits on reading a request body: its
 * largest size in bytes, the longest it may take to arrive, and how many bodies one client address may be sending at
 * once (a body trickling in holds a worker thread until it is whole or its time is up).
 */
@ConfigurationProperties("archipelago.security")
record AccessProperties(@Nullable String operatorToken,
                        @DefaultValue RateLimit rateLimit,
                        @DefaultValue FailedAuthentications failedAuthentications,
                        @DefaultValue("1048576") long maxBodyBytes,
                        @DefaultValue("10s") Duration bodyReadTimeout,
                        @DefaultValue("16") int bodiesPerAddress) {

    AccessProperties {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("archipelago.security.max-body-bytes must be positive");
        }
        if (bodiesPerAddress < 1) {
            throw new IllegalArgumentException("archipelago.security.bodies-per-address must be positive");
        }
        if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
            throw new IllegalArgumentException("archipelago.security.body-read-timeout must be positive");
        }
    }

    /** A token bucket per account or address: refilled at {@code requestsPerSecond}, holding {@code burst} at most. */
    record RateLimit(@DefaultValue("50") double requestsPerSecond, @DefaultValue("100") int burst) {

        RateLimit {
            if (requestsPerSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("archipelago.security.rate-limit needs a positive rate and burst");
            }
        }
    }

    /** Failed authentications per client address: refilled at {@code perSecond}, at most {@code burst} in a row. */
    record FailedAuthentications(@DefaultValue("1") double perSecond, @DefaultValue("20") int burst) {

        FailedAuthentications {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("archipelago.security.failed-authentications needs a positive rate"
                        + " and burst");
            }
        }
    }
}

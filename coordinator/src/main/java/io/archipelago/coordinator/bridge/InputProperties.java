package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.InputLimits;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archipelago.inputs.*}: how large a job's input may be ({@code max-bytes}, at most and by default 240 KiB,
 * {@link InputLimits#MAX_BYTES_CEILING}), how long it is kept once its job settled ({@code retention}, zero: deleted
 * at settlement), how long at most when no settlement is seen ({@code max-age}, two days: longer than a bid may rest
 * and its job run) and how often inputs past their time are deleted ({@code sweep-interval}). See {@link InputLimits}.
 */
@ConfigurationProperties("archipelago.inputs")
record InputProperties(@DefaultValue("245760") long maxBytes,
                       @DefaultValue("0s") Duration retention,
                       @DefaultValue("2d") Duration maxAge,
                       @DefaultValue("1m") Duration sweepInterval) {

    InputProperties {
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("archipelago.inputs.sweep-interval must be positive");
        }
    }

    InputLimits limits() {
        return new InputLimits(maxBytes, retention, maxAge);
    }
}

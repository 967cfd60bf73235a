package io.archipelago.coordinator.cache;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archipelago.cache.*}: whether the inference cache answers at all ({@code enabled}), how long an answer is
 * served ({@code ttl}, a day), the largest answer kept ({@code max-entry-bytes}, 256 KiB), how many answers and how
 * many bytes are kept in all before the oldest go ({@code max-entries}, {@code max-total-bytes}), and how often
 * expired and evicted answers are deleted ({@code sweep-interval}).
 */
@ConfigurationProperties("archipelago.cache")
record CacheProperties(@DefaultValue("true") boolean enabled,
                       @DefaultValue("1d") Duration ttl,
                       @DefaultValue("262144") int maxEntryBytes,
                       @DefaultValue("100000") long maxEntries,
                       @DefaultValue("1073741824") long maxTotalBytes,
                       @DefaultValue("1m") Duration sweepInterval) {

    CacheProperties {
        if (ttl.isNegative() || ttl.isZero() || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("archipelago.cache.ttl and sweep-interval must be positive");
        }
        if (maxEntryBytes < 1 || maxEntries < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("archipelago.cache size limits must be positive");
        }
    }
}

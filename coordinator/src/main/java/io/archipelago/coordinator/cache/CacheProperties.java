package io.archipelago.coordinator.cache;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archipelago.cache.*}: whether the inference cache answers at all ({@code enabled}), how long an answer is
 * served ({@code ttl}, a day), the largest answer kept ({@code max-entry-bytes}, 256 KiB), how many answers and how
 * many bytes are kept in all before the oldest go ({@code max-entries}, {@code max-total-bytes}), and how often
 * expired and evicted answers are deleted ({@code sweep-interval}); for the semantic tier, the cosine similarity a
 * near-duplicate needs ({@code semantic-threshold}, 0.94, or per Cargo type in {@code semantic-thresholds}).
 */
@ConfigurationProperties("archipelago.cache")
record CacheProperties(@DefaultValue("true") boolean enabled,
                       @DefaultValue("1d") Duration ttl,
                       @DefaultValue("262144") int maxEntryBytes,
                       @DefaultValue("100000") long maxEntries,
                       @DefaultValue("1073741824") long maxTotalBytes,
                       @DefaultValue("1m") Duration sweepInterval,
                       @DefaultValue("0.94") double semanticThreshold,
                       @DefaultValue Map<String, Double> semanticThresholds) {

    CacheProperties {
        if (ttl.isNegative() || ttl.isZero() || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("archipelago.cache.ttl and sweep-interval must be positive");
        }
        semanticThresholds = Map.copyOf(semanticThresholds);
        if (!(semanticThreshold > 0 && semanticThreshold <= 1)
                || semanticThresholds.values().stream().anyMatch(value -> !(value > 0 && value <= 1))) {
            throw new IllegalArgumentException("archipelago.cache semantic thresholds are cosines in (0, 1]");
        }
        if (maxEntryBytes < 1 || maxEntries < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("archipelago.cache size limits must be positive");
        }
    }

    /** The cosine similarity a near-duplicate of a request on {@code cargo} needs. */
    double semanticThreshold(String cargo) {
        return semanticThresholds.getOrDefault(cargo, semanticThreshold);
    }
}

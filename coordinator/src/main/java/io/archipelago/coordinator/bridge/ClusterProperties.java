package io.archipelago.coordinator.bridge;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archipelago.cluster.*}: this coordinator node's id among those sharing the database ({@code node-id}, empty:
 * a new one at each start, {@code node-} and eight hex digits; letters, digits, '.', '_' and '-', at most 64) and how
 * long a node may go without a heartbeat before its jobs are taken over ({@code node-timeout}). See
 * {@link JdbcCluster}.
 */
@ConfigurationProperties("archipelago.cluster")
record ClusterProperties(@DefaultValue("") String nodeId, @DefaultValue("5s") Duration nodeTimeout) {

    ClusterProperties {
        if (nodeTimeout.isNegative() || nodeTimeout.isZero()) {
            throw new IllegalArgumentException("archipelago.cluster.node-timeout must be positive");
        }
    }
}

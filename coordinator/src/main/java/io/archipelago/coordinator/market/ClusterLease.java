package io.archipelago.coordinator.market;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which coordinator node runs the work that must happen once across the cluster (bid expiry, rate clearing): the one
 * holding a PostgreSQL session-level advisory lock on a connection of its own. A node that dies, or whose connection
 * breaks, loses the lock with its session, and the next node to ask takes it over. Not thread-safe: one scheduler
 * thread asks.
 */
final class ClusterLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLease.class);

    private final DataSource database;
    private final long key;
    private @Nullable Connection held;

    /** {@code key} names the lease; every node asking for the same work uses the same key. */
    ClusterLease(DataSource database, long key) {
        this.database = database;
        this.key = key;
    }

    /** Whether this node holds the lease now, taking it when it is free. */
    boolean held() {
        try {
            if (held != null) {
                if (held.isValid(1)) {
                    return true;
                }
                LOG.info("lost the cluster lease {}: its connection broke", key);
                release();
            }
            Connection connection = database.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement ask = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ask.setLong(1, key);
                try (ResultSet answer = ask.executeQuery()) {
                    if (answer.next() && answer.getBoolean(1)) {
                        held = connection;
                        LOG.info("holding the cluster lease {}", key);
                        return true;
                    }
                }
            }
            connection.close();
            return false;
        } catch (SQLException unreachable) {
            LOG.debug("cluster lease {} unavailable: {}", key, unreachable.toString());
            release();
            return false;
        }
    }

    private void release() {
        Connection connection = held;
        held = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing the session releases its advisory locks either way
            }
        }
    }

    @Override
    public void close() {
        release();
    }
}

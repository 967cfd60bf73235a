package io.archipelago.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The anchor of the durable path: one-row INSERT + COMMIT, sequential, on one autocommit connection. Every commit
 * waits for its WAL flush, so the rate is the server's (and the disk's) limit for transactions that cannot share a
 * flush; a coordinator committing one transaction per bid could not beat it.
 */
final class RawCommits {

    private RawCommits() {
    }

    record Result(long commits, double perSecond, Latencies latencies) {
    }

    static Result measure(String jdbcUrl, String user, Duration warmUp, Duration duration) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, null)) {
            connection.setAutoCommit(true);
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("create table if not exists bench_raw_commit (id bigserial primary key, "
                        + "at bigint not null, payload bytea not null)");
            }
            byte[] payload = new byte[200];
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into bench_raw_commit (at, payload) values (?, ?)")) {
                insert.setBytes(2, payload);
                run(insert, warmUp, null);
                Latencies latencies = new Latencies(Latencies.capacityFor(duration));
                long started = System.nanoTime();
                long commits = run(insert, duration, latencies);
                double seconds = (System.nanoTime() - started) / 1e9;
                return new Result(commits, commits / seconds, latencies);
            } finally {
                try (Statement ddl = connection.createStatement()) {
                    ddl.execute("drop table bench_raw_commit");
                }
            }
        }
    }

    private static long run(PreparedStatement insert, Duration duration, @Nullable Latencies latencies)
            throws SQLException {
        long end = System.nanoTime() + duration.toNanos();
        long commits = 0;
        for (long now = System.nanoTime(); now < end; commits++) {
            insert.setLong(1, now);
            insert.executeUpdate();
            long done = System.nanoTime();
            if (latencies != null) {
                latencies.record(done - now);
            }
            now = done;
        }
        return commits;
    }
}

package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.projections.rebuild.ReadModelRebuild;
import io.archipelago.projections.chain.StoredEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/**
 * The read side at scale, run by {@code scripts/bench-readside.sh} (its name keeps it out of the test suite): trades
 * a little through the command path, grows the store to {@code BENCH_EVENTS} events by copying that history
 * ({@link StoreCopier}), then measures how fast the hash chain links them, how fast a rebuild replays every read
 * model, and how fast the auditor replays the store. Prints figures; asserts only that the audit is clean.
 */
class ReadSideBench {

    @TempDir
    static Path dataDir;

    @Test
    void chainRebuildAndAuditAtScale() throws Exception {
        long target = Long.parseLong(ReadSideNodes.setting("BENCH_EVENTS", "200000"));
        boolean durable = Boolean.parseBoolean(ReadSideNodes.setting("BENCH_DURABLE", "true"));
        Map<String, Object> settings = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        settings.putAll(ReadSideNodes.benchProperties());
        settings.put("archipelago.postgres.durable", durable);
        try (CoordinatorNode node = CoordinatorNode.start(dataDir, settings)) {
            new ReadSideWorkload(node).open().jobs(0, 50).payout(ReadSideWorkload.HOST, "payout-1", 500, 60)
                    .resting(3, 70);
            ReadSideNodes.awaitCaughtUp(node);
            Configuration axon = node.bean(Configuration.class);
            List<StreamingEventProcessor> processors = List.of(processor(axon, "projections"),
                    processor(axon, "event-chain"), processor(axon, "metrics"));
            processors.forEach(StreamingEventProcessor::shutDown);

            long started = System.nanoTime();
            long added = new StoreCopier(node.bean(DataSource.class)).growTo(target);
            long events = node.jdbc().queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
            figure("store grown by COPY", added, started);
            System.out.printf("bench: %,d events in the store, PostgreSQL %s%n", events,
                    durable ? "with fsync" : "without fsync");

            started = System.nanoTime();
            processor(axon, "event-chain").start();
            ReadSideNodes.awaitChained(node, events);
            figure("hash chain linked", added, started);

            started = System.nanoTime();
            long stored = readStore(node.bean(DataSource.class));
            figure("anchor: the store read as the rebuild reads it, nothing computed", stored, started);
            ReadModelRebuild.Result rebuild = node.bean(ReadModelRebuild.class)
                    .rebuild(Duration.ofHours(1), line -> System.out.println("bench: " + line));
            System.out.printf("bench: rebuild of all read models: %,d events in %.1f s = %,d events/s%n",
                    rebuild.events(), rebuild.took().toNanos() / 1e9, rebuild.rate());

            started = System.nanoTime();
            long read = readChained(node.bean(DataSource.class));
            figure("anchor: the audit's query read, nothing computed", read, started);
            AuditReport audit = new LedgerAudit(node.bean(DataSource.class),
                    AuditEvidence.of(dataDir, null, null, 0), System.out).run();
            LedgerAudit.print(audit, System.out);
            System.out.printf("bench: audit replay: %,d events in %.2f s = %,d events/s%n", audit.events(),
                    audit.took().toNanos() / 1e9, audit.rate());
            assertThat(audit.problems()).isEmpty();
        }
    }

    /** The anchor of the audit: the rows of its chained query, streamed the same way and every column read. */
    static long readChained(DataSource dataSource) throws SQLException {
        long rows = 0;
        long bytes = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.unwrap(PGConnection.class).setPrepareThreshold(-1);
            try (PreparedStatement statement = connection.prepareStatement(LedgerAudit.CHAINED)) {
                statement.setFetchSize(LedgerAudit.FETCH_SIZE);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        rows++;
                        bytes += row.getString("hash").length() + StoredEvent.read(row).payload().length;
                    }
                }
            }
            connection.rollback();
        }
        System.out.printf("bench: anchor read %,d bytes of hashes and payloads%n", bytes);
        return rows;
    }

    /** The anchor of the rebuild: every event of the store, streamed in its order, every column read. */
    static long readStore(DataSource dataSource) throws SQLException {
        long rows = 0;
        long bytes = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + StoredEvent.COLUMNS
                    + " FROM domain_event_entry e ORDER BY e.global_index")) {
                statement.setFetchSize(LedgerAudit.FETCH_SIZE);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        rows++;
                        bytes += StoredEvent.read(row).payload().length;
                    }
                }
            }
            connection.rollback();
        }
        System.out.printf("bench: anchor read %,d bytes of payloads%n", bytes);
        return rows;
    }

    private static StreamingEventProcessor processor(Configuration axon, String name) {
        return axon.eventProcessingConfiguration().eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
    }

    private static void figure(String what, long events, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("bench: %s: %,d events in %.1f s = %,.0f events/s%n", what, events, seconds,
                events / seconds);
    }
}

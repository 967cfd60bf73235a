package io.archipelago.coordinator.readside;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Grows an event store for benchmarks without the command path: copies its events again and again, each copy with
 * its own market, accounts and Islands (identifiers suffixed {@code -r<copy>}), so that every copy is a valid history
 * of its own and the ledger of the whole still balances. The platform account is shared; its events are numbered on.
 * Rows go in with PostgreSQL's COPY.
 */
final class StoreCopier {

    private static final HexFormat HEX = HexFormat.of();
    private static final int ROWS_PER_COPY_COMMAND = 50_000;

    private final DataSource dataSource;

    StoreCopier(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record Row(String aggregate, long sequence, String type, String payloadType, String timestamp,
                       byte[] payload, byte[] metaData) {
    }

    /** Adds copies of the store's events until it holds at least {@code target} events; returns the events added. */
    long growTo(long target) throws SQLException, IOException {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<Row> base = jdbc.query("""
                SELECT aggregate_identifier, sequence_number, type, payload_type, time_stamp, payload, meta_data
                FROM domain_event_entry ORDER BY global_index""", (row, number) -> new Row(row.getString(1),
                row.getLong(2), row.getString(3), row.getString(4), row.getString(5), row.getBytes(6),
                row.getBytes(7)));
        Set<String> renamed = new HashSet<>();
        Map<String, Long> sharedSequences = new HashMap<>();
        for (Row row : base) {
            String name = row.aggregate().substring(row.aggregate().indexOf(':') + 1);
            if (name.equals("platform")) {
                sharedSequences.merge(row.aggregate(), row.sequence() + 1, Math::max);
            } else {
                renamed.add(name);
            }
        }
        Long stored = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        long count = stored == null ? 0 : stored;
        long added = 0;
        int copy = 0;
        try (Connection connection = dataSource.getConnection()) {
            CopyManager copier = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            int pending = 0;
            while (count + added < target) {
                copy++;
                String suffix = "-r" + copy;
                for (Row row : base) {
                    String prefix = row.aggregate().substring(0, row.aggregate().indexOf(':') + 1);
                    String name = row.aggregate().substring(prefix.length());
                    String aggregate;
                    long sequence;
                    if (renamed.contains(name)) {
                        aggregate = prefix + name + suffix;
                        sequence = row.sequence();
                    } else {
                        aggregate = row.aggregate();
                        sequence = sharedSequences.merge(aggregate, 1L, Long::sum) - 1;
                    }
                    String payload = new String(row.payload(), StandardCharsets.UTF_8);
                    for (String id : renamed) {
                        payload = payload.replace("\"value\":\"" + id + "\"", "\"value\":\"" + id + suffix + "\"");
                    }
                    rows.append(aggregate).append('\t').append(sequence).append('\t').append(row.type()).append('\t')
                            .append(UUID.randomUUID()).append('\t')
                            .append(row.metaData() == null ? "\\N" : "\\\\x" + HEX.formatHex(row.metaData()))
                            .append('\t').append("\\\\x")
                            .append(HEX.formatHex(payload.getBytes(StandardCharsets.UTF_8)))
                            .append('\t').append(row.payloadType()).append('\t').append(row.timestamp()).append('\n');
                    added++;
                    if (++pending == ROWS_PER_COPY_COMMAND) {
                        copy(copier, rows);
                        rows.setLength(0);
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                copy(copier, rows);
            }
        }
        return added;
    }

    private static void copy(CopyManager copier, StringBuilder rows) throws SQLException, IOException {
        copier.copyIn("COPY domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,"
                + " meta_data, payload, payload_type, time_stamp) FROM STDIN", new StringReader(rows.toString()));
    }
}

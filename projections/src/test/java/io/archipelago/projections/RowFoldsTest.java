package io.archipelago.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A rebuild's rows in memory, written at its end, equal what the live statements make of the same changes: every
 * shape and assignment, re-deliveries, a NULL set, an online period whose times have nanoseconds PostgreSQL rounds.
 */
class RowFoldsTest {

    private static final OffsetDateTime T0 = Instant.parse("2025-03-03T10:00:00.123456789Z").atOffset(ZoneOffset.UTC);

    private static List<RowChange> changes() {
        return List.of(
                RowChange.insert("island_view", Map.of("island_id", "i-1"))
                        .value("owner", "bob").value("country", "CH").value("cargo_types", "llm.chat")
                        .value("slots", 4).value("verified", false).value("online", false)
                        .value("uptime_millis", 0L).value("karma", 500).value("registered_at", T0)
                        .value("updated_at", T0).value("last_sequence", 0L),
                RowChange.insert("island_view", Map.of("island_id", "i-1")).value("owner", "eve")
                        .value("country", "DE").value("cargo_types", "").value("slots", 1).value("verified", true)
                        .value("online", true).value("uptime_millis", 9L).value("karma", 1)
                        .value("registered_at", T0).value("updated_at", T0).value("last_sequence", 0L),
                online(1, T0.plusNanos(400_000_600)),
                online(2, T0.plusSeconds(5)),
                RowChange.update("island_view", Map.of("island_id", "i-1"), 3).set("rtt_micros", 12_000L)
                        .set("updated_at", T0.plusSeconds(6)),
                offline(4, T0.plusSeconds(70).plusNanos(987_654_321)),
                offline(4, T0.plusSeconds(90)),
                online(5, T0.plusSeconds(100)),
                offline(6, T0.plusSeconds(100).plusNanos(1_499_500)),
                RowChange.update("island_view", Map.of("island_id", "i-1"), 7).set("rtt_micros", null)
                        .set("updated_at", T0.plusSeconds(110)),
                RowChange.update("island_view", Map.of("island_id", "missing"), 1).set("karma", 3),
                candle(1, 50, 3),
                candle(2, 70, 1),
                candle(2, 90, 9),
                candle(3, 20, 2),
                candle(4, 60, 5));
    }

    private static RowChange online(long sequence, OffsetDateTime at) {
        return RowChange.update("island_view", Map.of("island_id", "i-1"), sequence).set("updated_at", at)
                .set("online", true).coalesce("online_since", at);
    }

    private static RowChange offline(long sequence, OffsetDateTime at) {
        return RowChange.update("island_view", Map.of("island_id", "i-1"), sequence).set("updated_at", at)
                .set("online", false).set("online_since", null)
                .addMillisSince("uptime_millis", "online_since", at);
    }

    private static RowChange candle(long sequence, long price, long units) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("cargo", "llm.chat");
        key.put("resolution", "1m");
        key.put("bucket_start", T0);
        return RowChange.upsert("market_candle", key, sequence)
                .value("open_price", price).value("high_price", price).value("low_price", price)
                .value("close_price", price).value("volume_units", units).value("trades", 1L)
                .max("high_price", price).min("low_price", price).set("close_price", price)
                .add("volume_units", units).add("trades", 1);
    }

    @Test
    void rowsFoldedInMemoryEqualTheRowsTheLiveStatementsWrite() throws SQLException {
        JdbcTemplate live = new JdbcTemplate(ReadModelDatabase.dataSource());
        live.execute("TRUNCATE island_view, market_candle");
        RowFolds folds = new RowFolds(ReadModelDatabase.writes());
        changes().forEach(folds::apply);

        RowMemory memory = new RowMemory();
        changes().forEach(memory::apply);
        live.execute("DROP SCHEMA IF EXISTS folded CASCADE");
        live.execute("CREATE SCHEMA folded");
        for (String table : List.of("island_view", "market_candle")) {
            live.execute("CREATE TABLE folded." + table + " (LIKE public." + table + " INCLUDING ALL)");
        }
        try (Connection connection = ReadModelDatabase.dataSource().getConnection()) {
            JdbcTemplate fresh = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            fresh.execute("SET search_path TO folded, public");
            memory.write(fresh);
            fresh.execute("SET search_path TO public");
        }

        for (String table : List.of("island_view", "market_candle")) {
            List<Map<String, Object>> expected = live.queryForList("SELECT * FROM public." + table);
            assertThat(expected).as(table).hasSize(1);
            assertThat(live.queryForList("SELECT * FROM folded." + table)).as(table).isEqualTo(expected);
        }
        Map<String, Object> island = live.queryForMap("SELECT * FROM public.island_view");
        assertThat(island.get("owner")).isEqualTo("bob");
        assertThat(island.get("rtt_micros")).isNull();
        assertThat(island.get("uptime_millis")).isNotEqualTo(0L);
        Map<String, Object> candle = live.queryForMap("SELECT * FROM public.market_candle");
        assertThat(candle).containsEntry("open_price", 50L).containsEntry("high_price", 70L)
                .containsEntry("low_price", 20L).containsEntry("close_price", 60L)
                .containsEntry("volume_units", 11L).containsEntry("trades", 4L);
        live.execute("DROP SCHEMA folded CASCADE");
    }
}

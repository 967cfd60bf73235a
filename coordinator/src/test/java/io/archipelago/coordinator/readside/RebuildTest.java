package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.projections.rebuild.ReadModelRebuild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read models rebuilt from the first event equal the ones built while trading went on. */
class RebuildTest {

    /** Every read model table, each ordered by its key so that two snapshots compare row by row. */
    static final Map<String, String> READ_MODELS = readModels();

    @TempDir
    static Path dataDir;

    @Test
    void aRebuildFromTheFirstEventGivesTheSameReadModels() {
        try (CoordinatorNode node = CoordinatorNode.start(dataDir,
                ReadSideNodes.withoutBridge(ReadSideNodes.freePort()))) {
            new ReadSideWorkload(node).open().jobs(0, 60).payout(ReadSideWorkload.HOST, "payout-1", 500, 70)
                    .resting(3, 80);
            ReadSideNodes.awaitCaughtUp(node);
            Map<String, List<Map<String, Object>>> built = snapshot(node);
            assertThat(built.get("job_view")).hasSizeGreaterThan(50);
            assertThat(built.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());
            // a row no event explains must be gone after the rebuild
            node.jdbc().update("""
                    INSERT INTO account_balance_view VALUES ('ghost', 'DE', 1, 0, 0, 0, now(), now(), 0)""");

            ReadModelRebuild.Result result = node.bean(ReadModelRebuild.class)
                    .rebuild(Duration.ofMinutes(2), System.out::println);

            assertThat(result.events()).isEqualTo(node.jdbc().queryForObject(
                    "SELECT count(*) FROM domain_event_entry", Long.class));
            assertThat(snapshot(node)).isEqualTo(built);
            assertThat(node.jdbc().queryForObject("SELECT count(*) FROM dead_letter_entry", Long.class)).isZero();
        }
    }

    static Map<String, List<Map<String, Object>>> snapshot(CoordinatorNode node) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        READ_MODELS.forEach((table, order) -> tables.put(table,
                node.jdbc().queryForList("SELECT * FROM " + table + " ORDER BY " + order)));
        return tables;
    }

    private static Map<String, String> readModels() {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("job_view", "cargo, job_id");
        tables.put("account_balance_view", "account_id");
        tables.put("market_view", "cargo");
        tables.put("market_ask", "cargo, island_id");
        tables.put("market_resting_bid", "cargo, job_id");
        tables.put("market_candle", "cargo, resolution, bucket_start");
        tables.put("cargo_usage", "cargo, day");
        tables.put("island_view", "island_id");
        tables.put("karma_history", "island_id, sequence");
        tables.put("payout_view", "account_id, payout_id");
        return tables;
    }
}

package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.projections.rebuild.ReadModelRebuild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read models rebuilt from the first event into fresh tables equal the ones built while trading went on; until the
 * fresh tables are swapped in, the live ones serve unchanged, and the processor carries on after the swap from where
 * the rebuild stopped reading.
 */
class RebuildTest {

    /** Every read model table. */
    static final List<String> READ_MODELS = List.of("job_view", "account_balance_view", "bid_preferences_view",
            "market_view", "market_ask", "market_resting_bid", "market_candle", "cargo_usage", "market_rate",
            "island_view", "karma_history", "payout_view", "cache_hit_view", "rollout_view", "rollout_variant_view",
            "rollout_decision_view", "registry_publisher", "registry_publisher_key", "registry_tier_change",
            "registry_cargo_stream",
            "registry_version", "registry_job", "registry_review", "workflow_view", "workflow_step_view",
            "workflow_progress", "batch_view", "batch_item_view", "batch_progress");

    @TempDir
    static Path dataDir;

    @Test
    void aRebuildIntoFreshTablesGivesTheSameReadModelsAndSwapsThemInAtOnce() {
        try (CoordinatorNode node = CoordinatorNode.start(dataDir,
                ReadSideNodes.withoutBridge(ReadSideNodes.freePort()))) {
            ReadSideWorkload workload = new ReadSideWorkload(node).open().jobs(0, 60)
                    .payout(ReadSideWorkload.HOST, "payout-1", 500, 70).resting(3, 80);
            ReadSideNodes.awaitCaughtUp(node);
            Map<String, List<Map<String, Object>>> built = snapshot(node, "public");
            assertThat(built.get("job_view")).hasSizeGreaterThan(50);
            for (String table : List.of("job_view", "account_balance_view", "market_view", "market_ask",
                    "market_resting_bid", "market_candle", "cargo_usage", "market_rate", "island_view",
                    "karma_history", "payout_view")) {
                assertThat(built.get(table)).as(table).isNotEmpty();
            }
            // a row no event explains must be gone after the rebuild, and there until the swap
            node.jdbc().update("""
                    INSERT INTO account_balance_view VALUES ('ghost', 'DE', 1, 0, 0, 0, now(), now(), 0)""");
            Map<String, List<Map<String, Object>>> live = snapshot(node, "public");
            Long stored = node.jdbc().queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
            AtomicReference<Map<String, List<Map<String, Object>>>> duringRebuild = new AtomicReference<>();
            AtomicReference<Map<String, List<Map<String, Object>>>> fresh = new AtomicReference<>();

            ReadModelRebuild.Result result = node.bean(ReadModelRebuild.class).rebuild(Duration.ofMinutes(2),
                    line -> {
                        System.out.println(line);
                        if (line.contains("swapping")) {
                            duringRebuild.set(snapshot(node, "public"));
                            fresh.set(snapshot(node, "read_model_rebuild"));
                            // events after the rebuild's head: the live processor carries on with them after the swap
                            workload.jobs(60, 64);
                        }
                    });

            assertThat(result.events()).isEqualTo(stored);
            assertThat(duringRebuild.get()).as("the live read models while the rebuild ran").isEqualTo(live);
            assertThat(fresh.get()).as("the fresh read models").isEqualTo(built);
            ReadSideNodes.awaitCaughtUp(node);
            Map<String, List<Map<String, Object>>> after = snapshot(node, "public");
            assertThat(after.get("account_balance_view")).noneMatch(row -> "ghost".equals(row.get("account_id")));
            assertThat(after.get("job_view")).hasSize(built.get("job_view").size() + 4);
            assertThat(node.jdbc().queryForObject("SELECT count(*) FROM dead_letter_entry", Long.class)).isZero();
            assertThat(node.jdbc().queryForObject("""
                    SELECT count(*) FROM pg_namespace WHERE nspname = 'read_model_rebuild'""", Long.class)).isZero();

            // and a second rebuild of the whole store, the later jobs too, gives what the processor made of them
            Map<String, List<Map<String, Object>>> views = analystViews(node);
            node.bean(ReadModelRebuild.class).rebuild(Duration.ofMinutes(2), System.out::println);
            ReadSideNodes.awaitCaughtUp(node);
            assertThat(snapshot(node, "public")).isEqualTo(after);
            assertThat(analystViews(node)).as("the analysts' views, made again over the swapped-in tables")
                    .isEqualTo(views).allSatisfy((view, rows) -> assertThat(rows).as(view).isNotEmpty());
        }
    }

    /** The rows of the analysts' stable views, in the order of their text. */
    private static Map<String, List<Map<String, Object>>> analystViews(CoordinatorNode node) {
        Map<String, List<Map<String, Object>>> views = new LinkedHashMap<>();
        for (String view : List.of("analyst_candles", "analyst_rates", "analyst_volume", "analyst_karma_history",
                "analyst_payouts")) {
            views.put(view, node.jdbc().queryForList("SELECT * FROM " + view + " v ORDER BY v::text"));
        }
        return views;
    }

    /** Every read model table of {@code schema}, rows in the order of their text, so two snapshots compare. */
    static Map<String, List<Map<String, Object>>> snapshot(CoordinatorNode node, String schema) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        READ_MODELS.forEach(table -> tables.put(table,
                node.jdbc().queryForList("SELECT * FROM " + schema + "." + table + " t ORDER BY t::text")));
        return tables;
    }
}

package io.archipelago.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.projections.account.BidPreferencesViews;
import io.archipelago.projections.batch.BatchViews;
import io.archipelago.projections.cache.CacheHitViews;
import io.archipelago.projections.history.MarketHistory;
import io.archipelago.projections.history.Resolution;
import io.archipelago.projections.island.IslandViews;
import io.archipelago.projections.job.JobViews;
import io.archipelago.projections.market.MarketViews;
import io.archipelago.projections.payout.PayoutViews;
import io.archipelago.projections.workflow.WorkflowViews;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every query the query API runs on a large read model uses an index. The tables are filled with a generated
 * exchange (a hundred thousand jobs, candles, rates, karma changes, payouts, usage rows; {@link #FILL}) and
 * analysed; then each reader method runs with representative parameters, and the plan PostgreSQL chooses for the
 * very statement it sent, with the same parameters, must read no large table sequentially.
 */
class QueryPlansTest {

    /** Tables that grow with the exchange's history or membership; a small table (market_view) may be scanned. */
    private static final Set<String> LARGE = Set.of("job_view", "account_balance_view", "bid_preferences_view",
            "market_ask", "market_resting_bid", "market_candle", "market_rate", "cargo_usage", "island_view",
            "karma_history", "payout_view", "cache_hit_view", "batch_view", "batch_item_view", "batch_progress",
            "workflow_view", "workflow_step_view", "workflow_progress");

    private static final String[] FILL = {
        """
        INSERT INTO market_view (cargo, unit, publisher, royalty_micro_credits, asks, online_asks, resting_bids,
                                 volume_units, trades, opened_at, updated_at, last_sequence)
        SELECT 'llm.chat.m' || m, 'KTOK', 'publisher-' || m % 5, 10, 0, 0, 0, 0, 0, now(), now(), 0
        FROM generate_series(0, 19) m""",
        """
        INSERT INTO job_view (cargo, job_id, consumer, status, submitted_at, updated_at, last_sequence)
        SELECT 'llm.chat.m' || i % 20, 'job-' || i, 'account-' || i % 50000,
               (ARRAY['COMPLETED', 'FAILED', 'RESTING', 'PLACED'])[1 + i % 4],
               TIMESTAMPTZ '2025-01-01' + i * INTERVAL '1 second', now(), 0
        FROM generate_series(1, 100000) i""",
        """
        INSERT INTO account_balance_view (account_id, available_micro_credits, escrow_micro_credits,
                                          earnings_micro_credits, payouts_in_flight_micro_credits, opened_at,
                                          updated_at, last_sequence)
        SELECT 'account-' || i, 1000, 0, 0, 0, now(), now(), 0 FROM generate_series(1, 50000) i""",
        """
        INSERT INTO bid_preferences_view (account_id, limit_micro_credits, verified_only, set_at, last_sequence)
        SELECT 'account-' || i, 300, false, now(), 0 FROM generate_series(1, 50000) i""",
        """
        INSERT INTO cache_hit_view (account_id, tier, hits, saved_micro_credits, last_hit_at)
        SELECT 'account-' || i, 'EXACT', 1, 100, now() FROM generate_series(1, 50000) i""",
        """
        INSERT INTO island_view (island_id, owner, country, cargo_types, slots, verified, online, uptime_millis,
                                 karma, registered_at, updated_at, last_sequence)
        SELECT 'island-' || i, 'host-' || i % 2000,
               (ARRAY['DE', 'FR', 'CH', 'IT', 'ES', 'NL', 'AT', 'PL', 'SE', 'US'])[1 + i % 10], 'llm.chat.m1', 8,
               true, i % 3 > 0, 0, i % 1000, now(), now(), 0
        FROM generate_series(1, 20000) i""",
        """
        INSERT INTO market_ask (cargo, island_id, price_micro_credits, online)
        SELECT 'llm.chat.m' || m, 'island-' || i, 100 + i % 50, i % 3 > 0
        FROM generate_series(1, 20000) i, generate_series(0, 3) m""",
        """
        INSERT INTO market_resting_bid (cargo, job_id, limit_micro_credits, resting)
        SELECT 'llm.chat.m' || i % 20, 'job-' || i, 100 + i % 200, i % 10 = 0 FROM generate_series(1, 100000) i""",
        """
        INSERT INTO market_candle (cargo, resolution, bucket_start, open_price, high_price, low_price, close_price,
                                   volume_units, trades, last_sequence)
        SELECT 'llm.chat.m' || m, '1m', TIMESTAMPTZ '2025-01-01' + b * INTERVAL '1 minute', 100, 120, 90, 110, 50, 5,
               0
        FROM generate_series(0, 19) m, generate_series(0, 4999) b""",
        """
        INSERT INTO market_rate (cargo, cleared_at, rate_micro_credits, volume_units, trades, best_bid, best_ask,
                                 bid_depth, ask_depth)
        SELECT 'llm.chat.m' || m, TIMESTAMPTZ '2025-01-01' + b * INTERVAL '1 minute', 105, 50, 5, 100, 110, 3, 4
        FROM generate_series(0, 19) m, generate_series(0, 4999) b""",
        """
        INSERT INTO cargo_usage (cargo, publisher, day, jobs, units, charged_micro_credits, host_micro_credits,
                                 royalty_micro_credits, fee_micro_credits, last_sequence)
        SELECT 'llm.chat.c' || c, 'publisher-' || c % 50, DATE '2024-01-01' + d, 10, 100, 1000, 800, 100, 100, 0
        FROM generate_series(0, 199) c, generate_series(0, 499) d""",
        """
        INSERT INTO karma_history (island_id, sequence, previous, current, reason, at)
        SELECT 'island-' || i, s, 500, 501, 'JOB_COMPLETED', TIMESTAMPTZ '2025-01-01' + s * INTERVAL '1 hour'
        FROM generate_series(1, 20000) i, generate_series(1, 5) s""",
        """
        INSERT INTO payout_view (account_id, payout_id, amount_micro_credits, status, requested_at, last_sequence)
        SELECT 'host-' || i % 2000, 'payout-' || i, 1000, (ARRAY['REQUESTED', 'PAID', 'FAILED'])[1 + i % 3],
               TIMESTAMPTZ '2025-01-01' + i * INTERVAL '1 minute', 0
        FROM generate_series(1, 100000) i""",
        """
        INSERT INTO batch_view (batch_id, account_id, model, status, total, completed, failed, cost_micro_credits,
                                created_at, last_sequence)
        SELECT 'batch-' || i, 'account-' || i % 50000, 'llm.chat.m1', 'RUNNING', 10, 0, 0, 0, now(), 0
        FROM generate_series(1, 10000) i""",
        """
        INSERT INTO batch_item_view (batch_id, item_index, status, attempts, failed_on)
        SELECT 'batch-' || i, n, 'DONE', 1, '' FROM generate_series(1, 10000) i, generate_series(0, 9) n""",
        """
        INSERT INTO batch_progress (batch_id, seq, type, data, at)
        SELECT 'batch-' || i, n, 'item', '{}', now() FROM generate_series(1, 10000) i, generate_series(0, 9) n""",
        """
        INSERT INTO workflow_view (workflow_id, account_id, status, fail_mode, total, completed, failed, cancelled,
                                   cost_micro_credits, created_at, last_sequence)
        SELECT 'workflow-' || i, 'account-' || i % 50000, 'RUNNING', 'FAIL_FAST', 5, 0, 0, 0, 0, now(), 0
        FROM generate_series(1, 10000) i""",
        """
        INSERT INTO workflow_step_view (workflow_id, step_index, step_key, model, depends_on, status, attempts,
                                        cost_micro_credits, failed_on)
        SELECT 'workflow-' || i, n, 'step-' || n, 'llm.chat.m1', '', 'DONE', 1, 0, ''
        FROM generate_series(1, 10000) i, generate_series(0, 4) n""",
        """
        INSERT INTO workflow_progress (workflow_id, seq, type, data, at)
        SELECT 'workflow-' || i, n, 'step', '{}', now() FROM generate_series(1, 10000) i, generate_series(0, 9) n""",
    };

    private static final Instant FROM = Instant.parse("2025-01-02T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-01-03T00:00:00Z");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordedQueries RECORDED = new RecordedQueries(ReadModelDatabase.dataSource());
    private static AnnotationConfigApplicationContext readers;

    @BeforeAll
    static void fillAndAnalyse() {
        JdbcClient jdbc = ReadModelDatabase.jdbc();
        truncate(jdbc);
        for (String fill : FILL) {
            jdbc.sql(fill).update();
        }
        jdbc.sql("ANALYZE").update();
        readers = new AnnotationConfigApplicationContext();
        readers.registerBean(JdbcClient.class, () -> JdbcClient.create(RECORDED.dataSource()));
        for (Class<?> reader : List.of(JobViews.class, AccountBalances.class, BidPreferencesViews.class,
                MarketViews.class, MarketHistory.class, IslandViews.class, PayoutViews.class, CacheHitViews.class,
                BatchViews.class, WorkflowViews.class)) {
            readers.registerBean(reader);
        }
        readers.refresh();
    }

    @AfterAll
    static void empty() {
        if (readers != null) {
            readers.close();
        }
        truncate(ReadModelDatabase.jdbc());
    }

    @Test
    void everyQueryOfTheQueryApiReadsLargeTablesByAnIndex() throws Exception {
        Map<String, Consumer<AnnotationConfigApplicationContext>> calls = new LinkedHashMap<>();
        calls.put("GET /jobs/{id}", r -> r.getBean(JobViews.class).find("job-12345"));
        calls.put("GET /accounts/{id}/balance", r -> r.getBean(AccountBalances.class).find("account-777"));
        calls.put("GET /accounts/{id}/preferences", r -> r.getBean(BidPreferencesViews.class)
                .find("account-777"));
        calls.put("GET /markets/{cargo}", r -> r.getBean(MarketViews.class).find("llm.chat.m3"));
        calls.put("GET /accounts/{id}/islands (asks)", r -> r.getBean(MarketViews.class).asksOf("island-1234"));
        calls.put("GET /markets/{cargo}/rates", r -> r.getBean(MarketHistory.class)
                .rates("llm.chat.m3", FROM, TO, 0, 100));
        calls.put("GET /markets/{cargo}/candles", r -> r.getBean(MarketHistory.class)
                .candles("llm.chat.m3", Resolution.MINUTE, FROM, TO, 0, 100));
        calls.put("GET /markets/{cargo}/depth", r -> r.getBean(MarketHistory.class).depth("llm.chat.m3", 20));
        calls.put("GET /usage", r -> r.getBean(MarketHistory.class).usage(null, null, FROM, TO, 0, 100));
        calls.put("GET /usage?cargo=", r -> r.getBean(MarketHistory.class)
                .usage("llm.chat.c7", null, FROM, TO, 0, 100));
        calls.put("GET /usage?publisher=", r -> r.getBean(MarketHistory.class)
                .usage(null, "publisher-7", FROM, TO, 0, 100));
        calls.put("GET /islands/{id}", r -> r.getBean(IslandViews.class).find("island-1234"));
        calls.put("GET /islands (leaderboard)", r -> r.getBean(IslandViews.class).byKarma(null, 0, 50));
        calls.put("GET /islands?country=", r -> r.getBean(IslandViews.class).byKarma("CH", 100, 50));
        calls.put("GET /accounts/{id}/islands", r -> r.getBean(IslandViews.class).ownedBy("host-42"));
        calls.put("GET /islands/{id}/karma", r -> r.getBean(IslandViews.class)
                .karmaHistory("island-1234", Instant.EPOCH, TO, 0, 100));
        calls.put("GET /payouts", r -> r.getBean(PayoutViews.class).requested(null, null, FROM, TO, 0, 100));
        calls.put("GET /accounts/{id}/payouts", r -> r.getBean(PayoutViews.class)
                .requested("host-42", null, Instant.EPOCH, TO, 0, 100));
        calls.put("GET /payouts?status=", r -> r.getBean(PayoutViews.class)
                .requested(null, "PAID", FROM, TO, 0, 100));
        calls.put("GET /cache/stats", r -> r.getBean(CacheHitViews.class).hits("account-777"));
        calls.put("GET /batches/{id}", r -> r.getBean(BatchViews.class).find("batch-77", "account-77"));
        calls.put("GET /batches/{id}/events", r -> r.getBean(BatchViews.class).progress("batch-77", 3));
        calls.put("GET /workflows/{id}", r -> r.getBean(WorkflowViews.class).find("workflow-77", "account-77"));
        calls.put("GET /workflows/{id}/events", r -> r.getBean(WorkflowViews.class).progress("workflow-77", 3));

        List<String> sequentialScans = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        DataSource database = ReadModelDatabase.dataSource();
        for (Map.Entry<String, Consumer<AnnotationConfigApplicationContext>> call : calls.entrySet()) {
            RECORDED.take();
            call.getValue().accept(readers);
            List<RecordedQueries.Query> queries = RECORDED.take();
            assertThat(queries).as(call.getKey()).isNotEmpty();
            for (RecordedQueries.Query query : queries) {
                List<String> scans = new ArrayList<>();
                scans(JSON.readTree(query.plan(database)).get(0).get("Plan"), scans);
                report.append(call.getKey()).append(" | ").append(String.join(", ", scans)).append('\n');
                scans.stream().filter(scan -> scan.startsWith("Seq Scan on ")
                                && LARGE.contains(scan.substring("Seq Scan on ".length())))
                        .forEach(scan -> sequentialScans.add(call.getKey() + ": " + scan + " in " + query.sql()));
            }
        }
        System.out.print(report);
        assertThat(sequentialScans).isEmpty();
    }

    /** Each node of the plan that reads a table, as "node type on table [using index]". */
    private static void scans(JsonNode node, List<String> into) {
        if (node.has("Relation Name")) {
            String scan = node.get("Node Type").asText() + " on " + node.get("Relation Name").asText();
            into.add(node.has("Index Name") ? scan + " using " + node.get("Index Name").asText() : scan);
        } else if (node.has("Index Name")) {
            into.add(node.get("Node Type").asText() + " using " + node.get("Index Name").asText());
        }
        if (node.has("Plans")) {
            for (JsonNode child : node.get("Plans")) {
                scans(child, into);
            }
        }
    }

    private static void truncate(JdbcClient jdbc) {
        jdbc.sql("""
                TRUNCATE job_view, account_balance_view, bid_preferences_view, cache_hit_view, market_view,
                         market_ask, market_resting_bid, market_candle, market_rate, cargo_usage, island_view,
                         karma_history, payout_view, batch_progress, batch_item_view, batch_view, workflow_progress,
                         workflow_step_view, workflow_view""").update();
    }
}

package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.access.TestCredentials;
import io.archipelago.coordinator.CoordinatorApplication;
import io.archipelago.coordinator.Trading;
import io.archipelago.projections.history.DepthLevel;
import io.archipelago.projections.history.MarketHistory;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The analysts' views ({@code analyst_*}, docs/read-models.md) over a small traded history: 30 jobs on two Islands
 * (every fifth fails), three rate clearings, three bids resting in the book, one placed job still running and one
 * payout. Each view answers what the trades were.
 */
@SpringBootTest(classes = CoordinatorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AnalystViewsTest {

    private static final String CARGO = Trading.CARGO.value();
    private static final LocalDate DAY = LocalDate.of(2025, 6, 2);
    private static final int JOBS = 30;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void coordinator(DynamicPropertyRegistry registry) {
        registry.add("archipelago.data-dir", () -> dataDir.toString());
        registry.add(TestCredentials.PROPERTY, () -> TestCredentials.OPERATOR_TOKEN);
        registry.add("archipelago.postgres.port", () -> 0);
        registry.add("archipelago.postgres.durable", () -> false);
        registry.add("archipelago.bridge.enabled", () -> false);
        // the history is dated 2025: the market clock's sweep would expire its resting bids at today's time
        registry.add("archipelago.market.expiry-interval", () -> "0s");
        registry.add("archipelago.kafka.embedded", () -> false);
        registry.add("archipelago.kafka.export.enabled", () -> false);
        registry.add("logging.level.org.axonframework", () -> "WARN");
    }

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private MarketHistory history;

    private static boolean traded;

    @BeforeEach
    void tradeOnce(@Autowired CommandGateway gateway, @Autowired Configuration axon) {
        if (!traded) {
            new ReadSideWorkload(gateway).open().jobs(0, JOBS).resting(3, 50)
                    .payout(ReadSideWorkload.HOST, "payout-1", 700, 40);
            gateway.sendAndWait(Trading.bid("running", ReadSideWorkload.CONSUMERS.get(1), 250, 10,
                    ReadSideWorkload.at(60)), 60, TimeUnit.SECONDS);
            ReadSideNodes.awaitCaughtUp(axon, jdbc);
            traded = true;
        }
    }

    @Test
    void candlesCarryTheUnitTheBucketsEndAndTheTrades() {
        Map<String, Object> day = jdbc.queryForMap("""
                SELECT * FROM analyst_candles WHERE cargo = ? AND resolution = '1d'""", CARGO);
        assertThat(day.get("unit")).isEqualTo(jdbc.queryForObject(
                "SELECT unit FROM market_view WHERE cargo = ?", String.class, CARGO));
        assertThat(((Timestamp) day.get("bucket_end")).toInstant())
                .isEqualTo(((Timestamp) day.get("bucket_start")).toInstant().plusSeconds(86_400));
        assertThat(day).containsEntry("open_micro_credits", 100L).containsEntry("low_micro_credits", 100L)
                .containsEntry("high_micro_credits", 100L).containsEntry("close_micro_credits", 100L)
                .containsEntry("trades", (long) completed().size())
                .containsEntry("volume_units", unitsTraded());
        assertThat(jdbc.queryForObject("""
                SELECT sum(trades) FROM analyst_candles WHERE cargo = ? AND resolution = '1m'
                AND bucket_end - bucket_start = INTERVAL '1 minute'""", Long.class, CARGO))
                .isEqualTo(completed().size());
    }

    @Test
    void depthShowsTheRestingBidsAndTheOnlineAsksButNotARunningJob() {
        List<Map<String, Object>> levels = jdbc.queryForList("""
                SELECT side, price_micro_credits, orders FROM analyst_depth WHERE cargo = ?
                ORDER BY side, price_micro_credits""", CARGO);
        assertThat(levels).containsExactly(
                Map.of("side", "ASK", "price_micro_credits", 100L, "orders", 1L),
                Map.of("side", "ASK", "price_micro_credits", 120L, "orders", 1L),
                Map.of("side", "BID", "price_micro_credits", 200L, "orders", 1L),
                Map.of("side", "BID", "price_micro_credits", 201L, "orders", 1L),
                Map.of("side", "BID", "price_micro_credits", 202L, "orders", 1L));
        assertThat(history.depth(CARGO, 10).bids()).extracting(DepthLevel::priceMicroCredits)
                .containsExactly(202L, 201L, 200L);
    }

    @Test
    void ratesAreTheClearedRatesWithTheirSpread() {
        List<Map<String, Object>> rates = jdbc.queryForList("""
                SELECT * FROM analyst_rates WHERE cargo = ? AND cleared_at >= ? AND cleared_at < ?
                ORDER BY cleared_at""", CARGO, Timestamp.valueOf("2025-06-02 00:00:00"),
                Timestamp.valueOf("2025-06-03 00:00:00"));
        assertThat(rates).hasSize(3);
        for (Map<String, Object> rate : rates) {
            assertThat((Long) rate.get("rate_micro_credits")).isEqualTo(100L);
            assertThat((Integer) rate.get("trades")).isPositive();
            assertThat(rate.get("best_ask_micro_credits")).isEqualTo(100L);
            Long bid = (Long) rate.get("best_bid_micro_credits");
            assertThat(rate.get("spread_micro_credits")).isEqualTo(bid == null ? null : 100L - bid);
        }
        assertThat((Long) rates.get(2).get("volume_units")).isPositive().isLessThanOrEqualTo(unitsTraded());
    }

    @Test
    void volumeAddsUpTheDaysTradesAndWhereTheMoneyWent() {
        Map<String, Object> volume = jdbc.queryForMap("SELECT * FROM analyst_volume WHERE cargo = ?", CARGO);
        long units = unitsTraded();
        assertThat(volume).containsEntry("day", Date.valueOf(DAY))
                .containsEntry("publisher", Trading.PUBLISHER.value())
                .containsEntry("jobs", (long) completed().size())
                .containsEntry("units", units)
                .containsEntry("host_micro_credits", units * 100)
                .containsEntry("royalty_micro_credits", units * Trading.ROYALTY.microCredits());
        assertThat((Long) volume.get("charged_micro_credits")).isEqualTo((Long) volume.get("host_micro_credits")
                + (Long) volume.get("royalty_micro_credits") + (Long) volume.get("fee_micro_credits"));
    }

    @Test
    void karmaHistoryIsEveryChangeWithItsDifferenceAndTheIslandsCountry() {
        List<Map<String, Object>> changes = jdbc.queryForList(
                "SELECT * FROM analyst_karma_history WHERE island_id = 'island-1' ORDER BY sequence");
        assertThat(changes).hasSize(jdbc.queryForObject(
                "SELECT count(*) FROM karma_history WHERE island_id = 'island-1'", Integer.class));
        assertThat(changes).isNotEmpty().allSatisfy(change -> {
            assertThat(change.get("country")).isEqualTo("DE");
            assertThat(change.get("change"))
                    .isEqualTo((Integer) change.get("current") - (Integer) change.get("previous"));
        });
        assertThat(changes.get(changes.size() - 1).get("current")).isEqualTo(jdbc.queryForObject(
                "SELECT karma FROM island_view WHERE island_id = 'island-1'", Integer.class));
    }

    @Test
    void payoutsSayWhenTheyEnded() {
        Map<String, Object> payout = jdbc.queryForMap("SELECT * FROM analyst_payouts WHERE account_id = 'host-1'");
        assertThat(payout).containsEntry("payout_id", "payout-1").containsEntry("amount_micro_credits", 700L)
                .containsEntry("status", "PAID").containsEntry("millis_to_end", 0L);
        assertThat(((Timestamp) payout.get("ended_at")).toInstant()).isEqualTo(ReadSideWorkload.at(40));
    }

    /** The jobs that completed: every one but each fifth, all on island-1 (the shorter round trip) at its ask. */
    private static List<Integer> completed() {
        return IntStream.range(0, JOBS).filter(n -> n % 5 != 4).boxed().toList();
    }

    private static long unitsTraded() {
        return completed().stream().mapToLong(n -> 1 + n % 20).sum();
    }
}

package io.archipelago.projections.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.AskRepriced;
import io.archipelago.exchange.market.api.AskWithdrawn;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.MarketRateCleared;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.UnitPrice;
import io.archipelago.projections.ReadModelDatabase;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class MarketProjectionTest {

    private static final CargoType LLAMA = new CargoType("llm.chat.llama3-8b");
    private static final AccountId ALICE = new AccountId("alice");
    private static final AccountId BOB = new AccountId("bob");
    private static final AccountId META = new AccountId("meta");
    private static final IslandId A = new IslandId("island-a");
    private static final IslandId B = new IslandId("island-b");
    private static final JobId J1 = new JobId("job-1");
    private static final JobId J2 = new JobId("job-2");
    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    private static final IslandConditions OFFLINE = new IslandConditions(Country.of("DE"), 2,
            AvailabilitySchedule.ALWAYS, false, false, IslandConditions.RTT_UNKNOWN, Karma.INITIAL);
    private static final IslandConditions ONLINE = OFFLINE.withOnline(true).withRtt(900);
    private static final UnitPrice PRICE = new UnitPrice(PricePerUnit.of(100), PricePerUnit.of(20),
            PricePerUnit.of(7));

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final MarketProjection projection = new MarketProjection(jdbc);
    private final MarketViews markets = new MarketViews(jdbc);

    /** The events of one market in order; the index is the sequence number. */
    private final List<Consumer<Long>> history = List.of(
            s -> projection.on(new CargoRegistered(LLAMA, CargoUnit.THOUSAND_TOKENS, META, PricePerUnit.of(20), T0),
                    s),
            s -> projection.on(new AskPlaced(LLAMA, A, BOB, PricePerUnit.of(100), OFFLINE, at(1)), s),
            s -> projection.on(new AskPlaced(LLAMA, B, BOB, PricePerUnit.of(140), ONLINE, at(2)), s),
            s -> projection.on(new IslandConditionsChanged(LLAMA, A, ONLINE, at(3)), s),
            s -> projection.on(bid(J1, 300, 4), s),
            s -> projection.on(bid(J2, 200, 5), s),
            s -> projection.on(new JobPlaced(LLAMA, J1, ALICE, A, BOB, PRICE, 900, Karma.INITIAL, at(6)), s),
            s -> projection.on(new JobCompleted(LLAMA, J1, ALICE, A, BOB, META, 7, PRICE, MicroCredits.of(889),
                    MicroCredits.of(700), MicroCredits.of(140), MicroCredits.of(49), MicroCredits.of(2_111), at(7)),
                    s),
            s -> projection.on(new MarketRateCleared(LLAMA, PricePerUnit.of(100), 7, 1, PricePerUnit.of(200),
                    PricePerUnit.of(100), 1, 2, T0, at(8)), s),
            s -> projection.on(new AskWithdrawn(LLAMA, A, at(9)), s),
            s -> projection.on(new AskRepriced(LLAMA, B, PricePerUnit.of(140), PricePerUnit.of(130), at(10)), s),
            s -> projection.on(new BidExpired(LLAMA, J2, ALICE, MicroCredits.of(2_000), at(11)), s),
            s -> projection.on(new MarketRateCleared(LLAMA, null, 0, 0, null, PricePerUnit.of(130), 0, 1, at(1),
                    at(12)), s));

    @BeforeEach
    void clean() {
        ReadModelDatabase.clean();
    }

    @Test
    void aNewMarketHasNoAsksBidsOrTrades() {
        deliver(0, 1);

        MarketView market = markets.find(LLAMA.value()).orElseThrow();
        assertThat(market.unit()).isEqualTo("THOUSAND_TOKENS");
        assertThat(market.publisher()).isEqualTo("meta");
        assertThat(market.royaltyMicroCredits()).isEqualTo(20);
        assertThat(market.asks()).isZero();
        assertThat(market.bestAskMicroCredits()).isNull();
        assertThat(market.bestBidMicroCredits()).isNull();
        assertThat(market.lastRateMicroCredits()).isNull();
    }

    @Test
    void bestAskIsTheCheapestOnlineAskAndBestBidTheHighestRestingLimit() {
        deliver(0, 3);
        MarketView offlineCheapest = markets.find(LLAMA.value()).orElseThrow();
        assertThat(offlineCheapest.asks()).isEqualTo(2);
        assertThat(offlineCheapest.onlineAsks()).isEqualTo(1);
        assertThat(offlineCheapest.bestAskMicroCredits()).isEqualTo(140);

        assertThat(markets.asksOf(A.value())).containsExactly(new MarketAsk(LLAMA.value(), A.value(), 100, false));

        deliver(3, 6);
        MarketView busy = markets.find(LLAMA.value()).orElseThrow();
        assertThat(busy.onlineAsks()).isEqualTo(2);
        assertThat(busy.bestAskMicroCredits()).isEqualTo(100);
        assertThat(busy.restingBids()).isEqualTo(2);
        assertThat(busy.bestBidMicroCredits()).isEqualTo(300);

        deliver(6, 7);
        MarketView placed = markets.find(LLAMA.value()).orElseThrow();
        assertThat(placed.restingBids()).isEqualTo(1);
        assertThat(placed.bestBidMicroCredits()).isEqualTo(200);
    }

    @Test
    void tradesAddVolumeAndTheLastRateSurvivesAWindowWithoutTrades() {
        deliver(0, history.size());

        MarketView market = markets.find(LLAMA.value()).orElseThrow();
        assertThat(market.volumeUnits()).isEqualTo(7);
        assertThat(market.trades()).isEqualTo(1);
        assertThat(market.lastRateMicroCredits()).isEqualTo(100);
        assertThat(market.rateClearedAt()).isEqualTo(at(12));
        assertThat(market.asks()).isEqualTo(1);
        assertThat(market.bestAskMicroCredits()).isEqualTo(130);
        assertThat(market.restingBids()).isZero();
        assertThat(market.bestBidMicroCredits()).isNull();
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        deliver(0, history.size());
        MarketView once = markets.find(LLAMA.value()).orElseThrow();

        deliver(0, history.size());
        deliver(4, 8);

        assertThat(markets.find(LLAMA.value()).orElseThrow()).isEqualTo(once);
    }

    @Test
    void aJobTakenBackFromItsIslandRestsInTheBookAgainUntilPlacedElsewhere() {
        List<Consumer<Long>> reassigned = List.of(
                history.get(0),
                s -> projection.on(new AskPlaced(LLAMA, A, BOB, PricePerUnit.of(100), ONLINE, at(1)), s),
                s -> projection.on(bid(J1, 300, 2), s),
                s -> projection.on(new JobPlaced(LLAMA, J1, ALICE, A, BOB, PRICE, 900, Karma.INITIAL, at(3)), s),
                s -> projection.on(new JobReassigned(LLAMA, J1, ALICE, A, "stalled", at(4)), s),
                s -> projection.on(new JobPlaced(LLAMA, J1, ALICE, B, BOB, PRICE, 950, Karma.INITIAL, at(5)), s),
                s -> projection.on(new JobFailed(LLAMA, J1, ALICE, B, "garbage", MicroCredits.of(3_000), at(6)), s));

        deliver(reassigned, 0, 4);
        assertThat(markets.find(LLAMA.value()).orElseThrow().restingBids()).isZero();
        deliver(reassigned, 4, 5);
        MarketView back = markets.find(LLAMA.value()).orElseThrow();
        assertThat(back.restingBids()).isEqualTo(1);
        assertThat(back.bestBidMicroCredits()).isEqualTo(300);
        deliver(reassigned, 5, 7);
        deliver(reassigned, 0, 7);

        MarketView ended = markets.find(LLAMA.value()).orElseThrow();
        assertThat(ended.restingBids()).isZero();
        assertThat(ended.bestBidMicroCredits()).isNull();
        assertThat(openBids()).isZero();
    }

    @Test
    void endedJobsLeaveNoOpenBidBehind() {
        deliver(0, history.size());

        assertThat(openBids()).isZero();
    }

    @Test
    void marketsAreListedByCargo() {
        deliver(0, 1);
        projection.on(new CargoRegistered(new CargoType("image.sdxl"), CargoUnit.IMAGE, META, PricePerUnit.of(5), T0),
                0);

        assertThat(markets.all()).extracting(MarketView::cargo).containsExactly("image.sdxl", LLAMA.value());
        assertThat(markets.find("video.none")).isEmpty();
    }

    /** Delivers the events with sequence numbers {@code from} (inclusive) to {@code to} (exclusive). */
    private void deliver(int from, int to) {
        deliver(history, from, to);
    }

    private static void deliver(List<Consumer<Long>> events, int from, int to) {
        for (int sequence = from; sequence < to; sequence++) {
            events.get(sequence).accept((long) sequence);
        }
    }

    private long openBids() {
        return jdbc.sql("SELECT count(*) FROM market_resting_bid").query(Long.class).single();
    }

    private static BidSubmitted bid(JobId jobId, long limit, int second) {
        return new BidSubmitted(LLAMA, jobId, ALICE, PricePerUnit.of(limit), 10, JurisdictionPolicy.eu(), Karma.NONE,
                Long.MAX_VALUE, false, MicroCredits.of(limit * 10), at(second + 300), at(second));
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}

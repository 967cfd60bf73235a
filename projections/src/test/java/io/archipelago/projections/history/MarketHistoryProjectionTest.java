package io.archipelago.projections.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.UnitPrice;
import io.archipelago.projections.ReadModelDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class MarketHistoryProjectionTest {

    private static final CargoType LLAMA = new CargoType("llm.chat.llama3-8b");
    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final MarketHistoryProjection projection = new MarketHistoryProjection(ReadModelDatabase.writes());
    private final MarketHistory history = new MarketHistory(jdbc);

    /** Trades of one market in sequence order: asks 100, 130, 90 in the first minute, 110 in the next hour. */
    private final List<JobCompleted> trades = List.of(
            trade(1, 100, 5, T0.plusSeconds(1)),
            trade(2, 130, 2, T0.plusSeconds(20)),
            trade(3, 90, 1, T0.plusSeconds(50)),
            trade(4, 110, 4, T0.plusSeconds(3_700)));

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void candlesHoldFirstHighestLowestAndLastPriceAndTheVolumeOfTheirBucket() {
        deliver(0, trades.size());

        List<Candle> minutes = history.candles(LLAMA.value(), Resolution.MINUTE, Instant.EPOCH, FAR, 0, 10);
        assertThat(minutes).containsExactly(
                new Candle(LLAMA.value(), "1m", T0, 100, 130, 90, 90, 8, 3),
                new Candle(LLAMA.value(), "1m", T0.plusSeconds(3_660), 110, 110, 110, 110, 4, 1));
        List<Candle> days = history.candles(LLAMA.value(), Resolution.DAY, Instant.EPOCH, FAR, 0, 10);
        assertThat(days).containsExactly(new Candle(LLAMA.value(), "1d", Instant.parse("2025-03-03T00:00:00Z"), 100,
                130, 90, 110, 12, 4));
        assertThat(history.candles(LLAMA.value(), Resolution.HOUR, T0.plusSeconds(3_600), FAR, 0, 10))
                .extracting(Candle::trades).containsExactly(1L);
    }

    @Test
    void usageAddsUpJobsUnitsAndWhereTheMoneyWent() {
        deliver(0, trades.size());

        List<CargoUsage> usage = history.usage(null, "meta", Instant.EPOCH, FAR, 0, 10);
        assertThat(usage).hasSize(1);
        assertThat(usage.get(0).jobs()).isEqualTo(4);
        assertThat(usage.get(0).units()).isEqualTo(12);
        assertThat(usage.get(0).hostMicroCredits()).isEqualTo(5 * 100 + 2 * 130 + 90 + 4 * 110);
        assertThat(usage.get(0).royaltyMicroCredits()).isEqualTo(12 * 20);
        assertThat(history.usage("image.sdxl", null, Instant.EPOCH, FAR, 0, 10)).isEmpty();
    }

    @Test
    void tradesDeliveredAgainChangeNothing() {
        deliver(0, trades.size());
        List<Candle> once = history.candles(LLAMA.value(), Resolution.MINUTE, Instant.EPOCH, FAR, 0, 10);
        List<CargoUsage> usageOnce = history.usage(null, null, Instant.EPOCH, FAR, 0, 10);

        deliver(0, trades.size());
        deliver(1, 3);

        assertThat(history.candles(LLAMA.value(), Resolution.MINUTE, Instant.EPOCH, FAR, 0, 10)).isEqualTo(once);
        assertThat(history.usage(null, null, Instant.EPOCH, FAR, 0, 10)).isEqualTo(usageOnce);
    }

    /** Delivers the trades with sequence numbers {@code from} (inclusive) to {@code to} (exclusive). */
    private void deliver(int from, int to) {
        for (int sequence = from; sequence < to; sequence++) {
            projection.on(trades.get(sequence), sequence);
        }
    }

    private static JobCompleted trade(int job, long ask, long units, Instant at) {
        UnitPrice price = new UnitPrice(PricePerUnit.of(ask), PricePerUnit.of(20), PricePerUnit.of(7));
        return new JobCompleted(LLAMA, new JobId("job-" + job), new AccountId("alice"), new IslandId("island-a"),
                new AccountId("bob"), new AccountId("meta"), units, price, MicroCredits.of((ask + 27) * units),
                MicroCredits.of(ask * units), MicroCredits.of(20 * units), MicroCredits.of(7 * units),
                MicroCredits.of(0), at);
    }
}

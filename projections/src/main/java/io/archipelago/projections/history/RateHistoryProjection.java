package io.archipelago.projections.history;

import io.archipelago.exchange.market.api.MarketRateCleared;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.RowChange;
import io.archipelago.projections.RowFolds;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Keeps {@code market_rate}: each cleared rate once, however often it is delivered (a {@link RowChange}). */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class RateHistoryProjection {

    private final ReadModelWrites writes;
    private final RowFolds rows;

    RateHistoryProjection(ReadModelWrites writes) {
        this.writes = writes;
        this.rows = new RowFolds(writes);
    }

    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE market_rate").update();
    }

    @EventHandler
    void on(MarketRateCleared event) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("cargo", event.cargo().value());
        key.put("cleared_at", event.at().atOffset(ZoneOffset.UTC));
        rows.apply(RowChange.insert("market_rate", key)
                .value("rate_micro_credits", micro(event.rate()))
                .value("volume_units", event.volumeUnits())
                .value("trades", event.trades())
                .value("best_bid", micro(event.bestBid()))
                .value("best_ask", micro(event.bestAsk()))
                .value("bid_depth", event.bidDepth())
                .value("ask_depth", event.askDepth()));
    }

    private static @Nullable Long micro(@Nullable PricePerUnit price) {
        return price == null ? null : price.microCredits();
    }
}

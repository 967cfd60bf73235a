package io.archipelago.projections.history;

import io.archipelago.exchange.market.api.MarketRateCleared;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.ProjectionsConfiguration;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code market_rate}: each cleared rate once, however often it is delivered. */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class RateHistoryProjection {

    private final JdbcClient jdbc;

    RateHistoryProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE market_rate").update();
    }

    @EventHandler
    void on(MarketRateCleared event) {
        jdbc.sql("""
                INSERT INTO market_rate (cargo, cleared_at, rate_micro_credits, volume_units, trades, best_bid,
                                         best_ask, bid_depth, ask_depth)
                VALUES (:cargo, :at, :rate, :volume, :trades, :bid, :ask, :bidDepth, :askDepth)
                ON CONFLICT (cargo, cleared_at) DO NOTHING""")
                .param("cargo", event.cargo().value())
                .param("at", event.at().atOffset(ZoneOffset.UTC))
                .param("rate", micro(event.rate()))
                .param("volume", event.volumeUnits())
                .param("trades", event.trades())
                .param("bid", micro(event.bestBid()))
                .param("ask", micro(event.bestAsk()))
                .param("bidDepth", event.bidDepth())
                .param("askDepth", event.askDepth())
                .update();
    }

    private static @Nullable Long micro(@Nullable PricePerUnit price) {
        return price == null ? null : price.microCredits();
    }
}

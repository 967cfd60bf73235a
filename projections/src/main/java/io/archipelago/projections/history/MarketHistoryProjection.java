package io.archipelago.projections.history;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.RowChange;
import io.archipelago.projections.RowFolds;
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code market_candle} and {@code cargo_usage} from completed jobs and the units cancelled jobs settled. Every
 * row of a market is changed only by that market's events, in their order, and remembers the last it applied: an
 * event delivered twice counts once.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
@WritesInBatches
final class MarketHistoryProjection {

    private final ReadModelWrites writes;
    private final RowFolds rows;

    MarketHistoryProjection(ReadModelWrites writes) {
        this.writes = writes;
        this.rows = new RowFolds(writes);
    }

    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE market_candle, cargo_usage").update();
    }

    /** The trade price is the Island's ask per unit, the price the market rate is cleared from. */
    @EventHandler
    void on(JobCompleted event, @SequenceNumber long sequence) {
        trade(new Trade(event.cargo(), event.publisher(), event.at(), event.price().ask().microCredits(),
                event.units(), event.charged(), event.hostEarnings(), event.royalty(), event.fee()), sequence);
    }

    /** A job its consumer left settled the units that reached it: a trade like any other, unless it settled none. */
    @EventHandler
    void on(JobCancelled event, @SequenceNumber long sequence) {
        if (event.units() > 0) {
            trade(new Trade(event.cargo(), event.publisher(), event.at(), event.price().ask().microCredits(),
                    event.units(), event.charged(), event.hostEarnings(), event.royalty(), event.fee()), sequence);
        }
    }

    private record Trade(CargoType cargo, AccountId publisher, Instant at, long price, long units,
                         MicroCredits charged, MicroCredits hostEarnings, MicroCredits royalty, MicroCredits fee) {
    }

    private void trade(Trade event, long sequence) {
        long price = event.price();
        for (Resolution resolution : Resolution.values()) {
            Instant bucket = resolution.bucketOf(event.at());
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("cargo", event.cargo().value());
            key.put("resolution", resolution.code());
            key.put("bucket_start", utc(bucket));
            rows.apply(RowChange.upsert("market_candle", key, sequence)
                    .value("open_price", price)
                    .value("high_price", price)
                    .value("low_price", price)
                    .value("close_price", price)
                    .value("volume_units", event.units())
                    .value("trades", 1L)
                    .max("high_price", price)
                    .min("low_price", price)
                    .set("close_price", price)
                    .add("volume_units", event.units())
                    .add("trades", 1));
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("cargo", event.cargo().value());
        key.put("day", event.at().atOffset(ZoneOffset.UTC).toLocalDate());
        rows.apply(RowChange.upsert("cargo_usage", key, sequence)
                .value("publisher", event.publisher().value())
                .value("jobs", 1L)
                .value("units", event.units())
                .value("charged_micro_credits", event.charged().value())
                .value("host_micro_credits", event.hostEarnings().value())
                .value("royalty_micro_credits", event.royalty().value())
                .value("fee_micro_credits", event.fee().value())
                .add("jobs", 1)
                .add("units", event.units())
                .add("charged_micro_credits", event.charged().value())
                .add("host_micro_credits", event.hostEarnings().value())
                .add("royalty_micro_credits", event.royalty().value())
                .add("fee_micro_credits", event.fee().value()));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

package io.archipelago.projections.history;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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

    MarketHistoryProjection(ReadModelWrites writes) {
        this.writes = writes;
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
            writes.row("market_candle", List.of(event.cargo().value(), resolution.code(), bucket)).sql("""
                    INSERT INTO market_candle AS c (cargo, resolution, bucket_start, open_price, high_price,
                                                    low_price, close_price, volume_units, trades, last_sequence)
                    VALUES (:cargo, :resolution, :bucket, :price, :price, :price, :price, :units, 1, :sequence)
                    ON CONFLICT (cargo, resolution, bucket_start) DO UPDATE
                    SET high_price = greatest(c.high_price, :price), low_price = least(c.low_price, :price),
                        close_price = :price, volume_units = c.volume_units + :units, trades = c.trades + 1,
                        last_sequence = :sequence
                    WHERE c.last_sequence < :sequence""")
                    .param("cargo", event.cargo().value())
                    .param("resolution", resolution.code())
                    .param("bucket", utc(bucket))
                    .param("price", price)
                    .param("units", event.units())
                    .param("sequence", sequence)
                    .update();
        }
        LocalDate day = event.at().atOffset(ZoneOffset.UTC).toLocalDate();
        writes.row("cargo_usage", List.of(event.cargo().value(), day)).sql("""
                INSERT INTO cargo_usage AS u (cargo, publisher, day, jobs, units, charged_micro_credits,
                                              host_micro_credits, royalty_micro_credits, fee_micro_credits,
                                              last_sequence)
                VALUES (:cargo, :publisher, :day, 1, :units, :charged, :host, :royalty, :fee, :sequence)
                ON CONFLICT (cargo, day) DO UPDATE
                SET jobs = u.jobs + 1, units = u.units + :units,
                    charged_micro_credits = u.charged_micro_credits + :charged,
                    host_micro_credits = u.host_micro_credits + :host,
                    royalty_micro_credits = u.royalty_micro_credits + :royalty,
                    fee_micro_credits = u.fee_micro_credits + :fee, last_sequence = :sequence
                WHERE u.last_sequence < :sequence""")
                .param("cargo", event.cargo().value())
                .param("publisher", event.publisher().value())
                .param("day", day)
                .param("units", event.units())
                .param("charged", event.charged().value())
                .param("host", event.hostEarnings().value())
                .param("royalty", event.royalty().value())
                .param("fee", event.fee().value())
                .param("sequence", sequence)
                .update();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

package io.archipelago.projections.market;

import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.AskRepriced;
import io.archipelago.exchange.market.api.AskWithdrawn;
import io.archipelago.exchange.market.api.BidCancelled;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.MarketRateCleared;
import io.archipelago.projections.ProjectionsConfiguration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code market_view} with its working tables {@code market_ask} and {@code market_resting_bid} (every open
 * bid with its limit, flagged {@code resting} while it is in the book: a placed job may be taken back and rest
 * again). Each event first advances the market row's {@code last_sequence}; an event no later than the last one
 * applied is a re-delivery and changes nothing.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class MarketProjection {

    private final JdbcClient jdbc;

    MarketProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A rebuild replays every event into empty tables. */
    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE market_view, market_ask, market_resting_bid").update();
    }

    @EventHandler
    void on(CargoRegistered event, @SequenceNumber long sequence) {
        jdbc.sql("""
                INSERT INTO market_view (cargo, unit, publisher, royalty_micro_credits, asks, online_asks,
                                         resting_bids, volume_units, trades, opened_at, updated_at, last_sequence)
                VALUES (:cargo, :unit, :publisher, :royalty, 0, 0, 0, 0, 0, :at, :at, :sequence)
                ON CONFLICT (cargo) DO NOTHING""")
                .param("cargo", event.cargo().value())
                .param("unit", event.unit().name())
                .param("publisher", event.publisher().value())
                .param("royalty", event.royalty().microCredits())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(AskPlaced event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            jdbc.sql("""
                    INSERT INTO market_ask (cargo, island_id, price_micro_credits, online)
                    VALUES (:cargo, :island, :price, :online)
                    ON CONFLICT (cargo, island_id)
                    DO UPDATE SET price_micro_credits = :price, online = :online""")
                    .param("cargo", event.cargo().value())
                    .param("island", event.islandId().value())
                    .param("price", event.price().microCredits())
                    .param("online", event.conditions().online())
                    .update();
            refreshAsks(event.cargo());
        }
    }

    @EventHandler
    void on(AskRepriced event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            jdbc.sql("UPDATE market_ask SET price_micro_credits = :price WHERE cargo = :cargo AND island_id = :island")
                    .param("price", event.price().microCredits())
                    .param("cargo", event.cargo().value())
                    .param("island", event.islandId().value())
                    .update();
            refreshAsks(event.cargo());
        }
    }

    @EventHandler
    void on(AskWithdrawn event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            jdbc.sql("DELETE FROM market_ask WHERE cargo = :cargo AND island_id = :island")
                    .param("cargo", event.cargo().value())
                    .param("island", event.islandId().value())
                    .update();
            refreshAsks(event.cargo());
        }
    }

    @EventHandler
    void on(IslandConditionsChanged event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            jdbc.sql("UPDATE market_ask SET online = :online WHERE cargo = :cargo AND island_id = :island")
                    .param("online", event.conditions().online())
                    .param("cargo", event.cargo().value())
                    .param("island", event.islandId().value())
                    .update();
            refreshAsks(event.cargo());
        }
    }

    @EventHandler
    void on(BidSubmitted event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            jdbc.sql("""
                    INSERT INTO market_resting_bid (cargo, job_id, limit_micro_credits)
                    VALUES (:cargo, :job, :limit)""")
                    .param("cargo", event.cargo().value())
                    .param("job", event.jobId().value())
                    .param("limit", event.limit().microCredits())
                    .update();
            refreshBids(event.cargo(), 1);
        }
    }

    @EventHandler
    void on(JobPlaced event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            markResting(event.cargo(), event.jobId(), false);
        }
    }

    @EventHandler
    void on(JobReassigned event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            markResting(event.cargo(), event.jobId(), true);
        }
    }

    @EventHandler
    void on(BidExpired event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            close(event.cargo(), event.jobId());
        }
    }

    @EventHandler
    void on(JobCompleted event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            trade(event.cargo(), event.units());
            close(event.cargo(), event.jobId());
        }
    }

    @EventHandler
    void on(BidCancelled event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            close(event.cargo(), event.jobId());
        }
    }

    /** A cancelled job that settled units traded them, as the market's rate window counts them. */
    @EventHandler
    void on(JobCancelled event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            if (event.units() > 0) {
                trade(event.cargo(), event.units());
            }
            close(event.cargo(), event.jobId());
        }
    }

    private void trade(CargoType cargo, long units) {
        jdbc.sql("UPDATE market_view SET volume_units = volume_units + :units, trades = trades + 1"
                        + " WHERE cargo = :cargo")
                .param("units", units)
                .param("cargo", cargo.value())
                .update();
    }

    @EventHandler
    void on(JobFailed event, @SequenceNumber long sequence) {
        if (advance(event.cargo(), event.at(), sequence)) {
            close(event.cargo(), event.jobId());
        }
    }

    /** A window without trades clears no rate; the last rate stays the one cleared from the last trades. */
    @EventHandler
    void on(MarketRateCleared event, @SequenceNumber long sequence) {
        jdbc.sql("""
                UPDATE market_view
                SET last_rate_micro_credits = COALESCE(:rate, last_rate_micro_credits), rate_cleared_at = :at,
                    updated_at = :at, last_sequence = :sequence
                WHERE cargo = :cargo AND last_sequence < :sequence""")
                .param("rate", event.rate() == null ? null : event.rate().microCredits())
                .param("cargo", event.cargo().value())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    /** Records that the event was applied; false when it already was. */
    private boolean advance(CargoType cargo, Instant at, long sequence) {
        return jdbc.sql("""
                UPDATE market_view SET updated_at = :at, last_sequence = :sequence
                WHERE cargo = :cargo AND last_sequence < :sequence""")
                .param("cargo", cargo.value())
                .param("at", utc(at))
                .param("sequence", sequence)
                .update() == 1;
    }

    /** The bid enters ({@code resting}) or leaves the book; a bid already there or already out changes nothing. */
    private void markResting(CargoType cargo, JobId jobId, boolean resting) {
        int changed = jdbc.sql("""
                UPDATE market_resting_bid SET resting = :resting
                WHERE cargo = :cargo AND job_id = :job AND resting <> :resting""")
                .param("resting", resting)
                .param("cargo", cargo.value())
                .param("job", jobId.value())
                .update();
        refreshBids(cargo, resting ? changed : -changed);
    }

    /** The bid's job ended or its bid expired: it is open no more. */
    private void close(CargoType cargo, JobId jobId) {
        boolean wasResting = jdbc.sql("DELETE FROM market_resting_bid WHERE cargo = :cargo AND job_id = :job"
                        + " RETURNING resting")
                .param("cargo", cargo.value())
                .param("job", jobId.value())
                .query(Boolean.class)
                .optional()
                .orElse(false);
        if (wasResting) {
            refreshBids(cargo, -1);
        }
    }

    /** Asks are few per market (one per Island), so their figures are simply recounted. */
    private void refreshAsks(CargoType cargo) {
        jdbc.sql("""
                UPDATE market_view SET
                    asks = (SELECT count(*) FROM market_ask WHERE cargo = :cargo),
                    online_asks = (SELECT count(*) FROM market_ask WHERE cargo = :cargo AND online),
                    best_ask_micro_credits = (SELECT min(price_micro_credits) FROM market_ask
                                              WHERE cargo = :cargo AND online)
                WHERE cargo = :cargo""")
                .param("cargo", cargo.value())
                .update();
    }

    /** Resting bids can be many: they are counted by difference, the best limit read from the index. */
    private void refreshBids(CargoType cargo, int change) {
        jdbc.sql("""
                UPDATE market_view SET
                    resting_bids = resting_bids + :change,
                    best_bid_micro_credits = (SELECT max(limit_micro_credits) FROM market_resting_bid
                                              WHERE cargo = :cargo AND resting)
                WHERE cargo = :cargo""")
                .param("change", change)
                .param("cargo", cargo.value())
                .update();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

package io.archipelago.projections.market;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.AskRepriced;
import io.archipelago.exchange.market.api.AskWithdrawn;
import io.archipelago.exchange.market.api.BidCancelled;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.MarketRateCleared;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.RebuildMemory;
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
 * applied is a re-delivery and changes nothing. The rules below are written in {@link MarketTables}' operations:
 * the live tables by SQL, or, while a rebuild's worker runs them, its rows in memory written once at its end.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class MarketProjection {

    private final JdbcClient jdbc;
    private final SqlMarketTables live;

    MarketProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.live = new SqlMarketTables(jdbc);
    }

    /** A rebuild replays every event into empty tables. */
    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE market_view, market_ask, market_resting_bid").update();
    }

    private MarketTables tables() {
        return RebuildMemory.current().<MarketTables>map(memory -> memory.state(MarketMemory.class,
                MarketMemory::new)).orElse(live);
    }

    @EventHandler
    void on(CargoRegistered event, @SequenceNumber long sequence) {
        tables().open(event.cargo().value(), event.unit().name(), event.publisher().value(),
                event.royalty().microCredits(), event.at(), sequence);
    }

    @EventHandler
    void on(AskPlaced event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        String cargo = event.cargo().value();
        if (tables.advance(cargo, event.at(), sequence)) {
            tables.putAsk(cargo, event.islandId().value(), event.price().microCredits(), event.conditions().online());
            tables.refreshAsks(cargo);
        }
    }

    @EventHandler
    void on(AskRepriced event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        String cargo = event.cargo().value();
        if (tables.advance(cargo, event.at(), sequence)) {
            tables.repriceAsk(cargo, event.islandId().value(), event.price().microCredits());
            tables.refreshAsks(cargo);
        }
    }

    @EventHandler
    void on(AskWithdrawn event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        String cargo = event.cargo().value();
        if (tables.advance(cargo, event.at(), sequence)) {
            tables.removeAsk(cargo, event.islandId().value());
            tables.refreshAsks(cargo);
        }
    }

    @EventHandler
    void on(IslandConditionsChanged event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        String cargo = event.cargo().value();
        if (tables.advance(cargo, event.at(), sequence)) {
            tables.askOnline(cargo, event.islandId().value(), event.conditions().online());
            tables.refreshAsks(cargo);
        }
    }

    @EventHandler
    void on(BidSubmitted event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        String cargo = event.cargo().value();
        if (tables.advance(cargo, event.at(), sequence)) {
            tables.addBid(cargo, event.jobId().value(), event.limit().microCredits());
            tables.refreshBids(cargo, 1);
        }
    }

    @EventHandler
    void on(JobPlaced event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        if (tables.advance(event.cargo().value(), event.at(), sequence)) {
            markResting(tables, event.cargo(), event.jobId(), false);
        }
    }

    @EventHandler
    void on(JobReassigned event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        if (tables.advance(event.cargo().value(), event.at(), sequence)) {
            markResting(tables, event.cargo(), event.jobId(), true);
        }
    }

    @EventHandler
    void on(BidExpired event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        if (tables.advance(event.cargo().value(), event.at(), sequence)) {
            close(tables, event.cargo(), event.jobId());
        }
    }

    @EventHandler
    void on(JobCompleted event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        if (tables.advance(event.cargo().value(), event.at(), sequence)) {
            tables.trade(event.cargo().value(), event.units());
            close(tables, event.cargo(), event.jobId());
        }
    }

    @EventHandler
    void on(BidCancelled event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        if (tables.advance(event.cargo().value(), event.at(), sequence)) {
            close(tables, event.cargo(), event.jobId());
        }
    }

    /** A cancelled job that settled units traded them, as the market's rate window counts them. */
    @EventHandler
    void on(JobCancelled event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        if (tables.advance(event.cargo().value(), event.at(), sequence)) {
            if (event.units() > 0) {
                tables.trade(event.cargo().value(), event.units());
            }
            close(tables, event.cargo(), event.jobId());
        }
    }

    @EventHandler
    void on(JobFailed event, @SequenceNumber long sequence) {
        MarketTables tables = tables();
        if (tables.advance(event.cargo().value(), event.at(), sequence)) {
            close(tables, event.cargo(), event.jobId());
        }
    }

    /** A window without trades clears no rate; the last rate stays the one cleared from the last trades. */
    @EventHandler
    void on(MarketRateCleared event, @SequenceNumber long sequence) {
        tables().clearRate(event.cargo().value(), event.rate() == null ? null : event.rate().microCredits(),
                event.at(), sequence);
    }

    /** The bid enters ({@code resting}) or leaves the book; a bid already there or already out changes nothing. */
    private static void markResting(MarketTables tables, CargoType cargo, JobId jobId, boolean resting) {
        int changed = tables.markResting(cargo.value(), jobId.value(), resting);
        tables.refreshBids(cargo.value(), resting ? changed : -changed);
    }

    /** The bid's job ended or its bid expired: it is open no more. */
    private static void close(MarketTables tables, CargoType cargo, JobId jobId) {
        if (tables.removeBid(cargo.value(), jobId.value())) {
            tables.refreshBids(cargo.value(), -1);
        }
    }
}

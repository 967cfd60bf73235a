package io.archipelago.projections.market;

import io.archipelago.projections.MultiRowInsert;
import io.archipelago.projections.RebuildMemory;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * The market's rows held in memory by a rebuild's worker for the whole rebuild, with what {@link SqlMarketTables}
 * asks PostgreSQL for kept beside them (the resting limits of each market, for its best bid), and written once at
 * the end: no statement per event, no read of the tables being rebuilt.
 */
final class MarketMemory implements MarketTables, RebuildMemory.State {

    /** A row of {@code market_view}. */
    private static final class Market {
        final String unit;
        final String publisher;
        final long royalty;
        int asks;
        int onlineAsks;
        @Nullable Long bestAsk;
        long restingBids;
        @Nullable Long bestBid;
        @Nullable Long lastRate;
        @Nullable Instant rateClearedAt;
        long volumeUnits;
        long trades;
        final Instant openedAt;
        Instant updatedAt;
        long lastSequence;
        final Map<String, Ask> askRows = new HashMap<>();
        final Map<String, Bid> bidRows = new HashMap<>();
        /** The limits of the resting bids, each with how many rest at it. */
        final TreeMap<Long, Integer> restingLimits = new TreeMap<>();

        Market(String unit, String publisher, long royalty, Instant at, long sequence) {
            this.unit = unit;
            this.publisher = publisher;
            this.royalty = royalty;
            this.openedAt = at;
            this.updatedAt = at;
            this.lastSequence = sequence;
        }
    }

    /** A row of {@code market_ask}. */
    private record Ask(long price, boolean online) {
    }

    /** A row of {@code market_resting_bid}. */
    private record Bid(long limit, boolean resting) {
    }

    private final Map<String, Market> markets = new HashMap<>();

    @Override
    public void open(String cargo, String unit, String publisher, long royalty, Instant at, long sequence) {
        markets.computeIfAbsent(cargo, absent -> new Market(unit, publisher, royalty, at, sequence));
    }

    @Override
    public boolean advance(String cargo, Instant at, long sequence) {
        Market market = markets.get(cargo);
        if (market == null || market.lastSequence >= sequence) {
            return false;
        }
        market.updatedAt = at;
        market.lastSequence = sequence;
        return true;
    }

    /** The rules touch asks and bids only after {@link #advance} found the market open. */
    private Market rows(String cargo) {
        Market market = markets.get(cargo);
        if (market == null) {
            throw new IllegalStateException("the market " + cargo + " is not open");
        }
        return market;
    }

    @Override
    public void putAsk(String cargo, String island, long price, boolean online) {
        rows(cargo).askRows.put(island, new Ask(price, online));
    }

    @Override
    public void repriceAsk(String cargo, String island, long price) {
        rows(cargo).askRows.computeIfPresent(island, (key, ask) -> new Ask(price, ask.online()));
    }

    @Override
    public void removeAsk(String cargo, String island) {
        rows(cargo).askRows.remove(island);
    }

    @Override
    public void askOnline(String cargo, String island, boolean online) {
        rows(cargo).askRows.computeIfPresent(island, (key, ask) -> new Ask(ask.price(), online));
    }

    @Override
    public void refreshAsks(String cargo) {
        Market market = markets.get(cargo);
        if (market == null) {
            return;
        }
        int online = 0;
        Long best = null;
        for (Ask ask : market.askRows.values()) {
            if (ask.online()) {
                online++;
                best = best == null ? ask.price() : Math.min(best, ask.price());
            }
        }
        market.asks = market.askRows.size();
        market.onlineAsks = online;
        market.bestAsk = best;
    }

    @Override
    public void addBid(String cargo, String job, long limit) {
        Market market = rows(cargo);
        Bid previous = market.bidRows.put(job, new Bid(limit, true));
        if (previous != null && previous.resting()) {
            unrest(market, previous.limit());
        }
        market.restingLimits.merge(limit, 1, Integer::sum);
    }

    @Override
    public int markResting(String cargo, String job, boolean resting) {
        Market market = rows(cargo);
        Bid bid = market.bidRows.get(job);
        if (bid == null || bid.resting() == resting) {
            return 0;
        }
        market.bidRows.put(job, new Bid(bid.limit(), resting));
        if (resting) {
            market.restingLimits.merge(bid.limit(), 1, Integer::sum);
        } else {
            unrest(market, bid.limit());
        }
        return 1;
    }

    @Override
    public boolean removeBid(String cargo, String job) {
        Market market = rows(cargo);
        Bid bid = market.bidRows.remove(job);
        if (bid == null) {
            return false;
        }
        if (bid.resting()) {
            unrest(market, bid.limit());
        }
        return bid.resting();
    }

    private static void unrest(Market market, long limit) {
        market.restingLimits.computeIfPresent(limit, (key, count) -> count == 1 ? null : count - 1);
    }

    @Override
    public void refreshBids(String cargo, int change) {
        Market market = markets.get(cargo);
        if (market == null) {
            return;
        }
        market.restingBids += change;
        market.bestBid = market.restingLimits.isEmpty() ? null : market.restingLimits.lastKey();
    }

    @Override
    public void trade(String cargo, long units) {
        Market market = markets.get(cargo);
        if (market != null) {
            market.volumeUnits += units;
            market.trades++;
        }
    }

    @Override
    public void clearRate(String cargo, @Nullable Long rate, Instant at, long sequence) {
        Market market = markets.get(cargo);
        if (market == null || market.lastSequence >= sequence) {
            return;
        }
        if (rate != null) {
            market.lastRate = rate;
        }
        market.rateClearedAt = at;
        market.updatedAt = at;
        market.lastSequence = sequence;
    }

    @Override
    public void write(JdbcTemplate jdbc) {
        List<Object[]> views = new ArrayList<>();
        List<Object[]> asks = new ArrayList<>();
        List<Object[]> bids = new ArrayList<>();
        markets.forEach((cargo, market) -> views.add(view(cargo, market)));
        markets.forEach((cargo, market) -> {
            market.askRows.forEach((island, ask) -> asks.add(new Object[] {cargo, island, ask.price(),
                ask.online()}));
            market.bidRows.forEach((job, bid) -> bids.add(new Object[] {cargo, job, bid.limit(), bid.resting()}));
        });
        MultiRowInsert.insert(jdbc, "market_view", List.of("cargo", "unit", "publisher", "royalty_micro_credits",
                "asks", "online_asks", "best_ask_micro_credits", "resting_bids", "best_bid_micro_credits",
                "last_rate_micro_credits", "rate_cleared_at", "volume_units", "trades", "opened_at", "updated_at",
                "last_sequence"), views);
        MultiRowInsert.insert(jdbc, "market_ask", List.of("cargo", "island_id", "price_micro_credits", "online"),
                asks);
        MultiRowInsert.insert(jdbc, "market_resting_bid", List.of("cargo", "job_id", "limit_micro_credits",
                "resting"), bids);
        markets.clear();
    }

    private static Object[] view(String cargo, Market market) {
        return new Object[] {cargo, market.unit, market.publisher, market.royalty, market.asks, market.onlineAsks,
            bigint(market.bestAsk), market.restingBids, bigint(market.bestBid), bigint(market.lastRate),
            new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                    market.rateClearedAt == null ? null : SqlMarketTables.utc(market.rateClearedAt)),
            market.volumeUnits, market.trades, SqlMarketTables.utc(market.openedAt),
            SqlMarketTables.utc(market.updatedAt), market.lastSequence};
    }

    private static SqlParameterValue bigint(@Nullable Long value) {
        return new SqlParameterValue(Types.BIGINT, value);
    }
}

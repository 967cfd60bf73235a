package io.archipelago.projections.market;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The row operations the market projection's rules are written in, over {@code market_view}, {@code market_ask} and
 * {@code market_resting_bid}: by SQL on the live tables ({@link SqlMarketTables}), or on rows held in memory for a
 * whole rebuild ({@link MarketMemory}), so that the live processor and a rebuild run the same rules. Each operation
 * changes only what it names; an update of an ask or bid that is not there changes nothing. The rules touch a
 * market's asks and bids only once {@link #advance} found the market open.
 */
interface MarketTables {

    /** Opens the market's row with no asks, bids or trades, unless it is open already. */
    void open(String cargo, String unit, String publisher, long royalty, Instant at, long sequence);

    /** Records that the market's event {@code sequence} was applied; false when it was (or no such market). */
    boolean advance(String cargo, Instant at, long sequence);

    /** Places or replaces the Island's ask. */
    void putAsk(String cargo, String island, long price, boolean online);

    void repriceAsk(String cargo, String island, long price);

    void removeAsk(String cargo, String island);

    void askOnline(String cargo, String island, boolean online);

    /** Recounts the market's asks, online asks and best (lowest online) ask. */
    void refreshAsks(String cargo);

    /** A new open bid, resting in the book. */
    void addBid(String cargo, String job, long limit);

    /** Puts the bid in or out of the book; how many bids changed (0 when it was so already, or is not open). */
    int markResting(String cargo, String job, boolean resting);

    /** The bid is open no more; whether it was resting. */
    boolean removeBid(String cargo, String job);

    /** Moves the resting bids' count by {@code change} and rereads the best (highest resting) limit. */
    void refreshBids(String cargo, int change);

    /** One trade of {@code units}. */
    void trade(String cargo, long units);

    /** A cleared rate (none: the last one stays), unless the market applied {@code sequence} already. */
    void clearRate(String cargo, @Nullable Long rate, Instant at, long sequence);
}

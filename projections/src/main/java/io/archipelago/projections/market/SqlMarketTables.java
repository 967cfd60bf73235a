package io.archipelago.projections.market;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The market's rows in their tables, one statement per operation: what the live processor writes. */
final class SqlMarketTables implements MarketTables {

    private final JdbcClient jdbc;

    SqlMarketTables(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void open(String cargo, String unit, String publisher, long royalty, Instant at, long sequence) {
        jdbc.sql("""
                INSERT INTO market_view (cargo, unit, publisher, royalty_micro_credits, asks, online_asks,
                                         resting_bids, volume_units, trades, opened_at, updated_at, last_sequence)
                VALUES (:cargo, :unit, :publisher, :royalty, 0, 0, 0, 0, 0, :at, :at, :sequence)
                ON CONFLICT (cargo) DO NOTHING""")
                .param("cargo", cargo)
                .param("unit", unit)
                .param("publisher", publisher)
                .param("royalty", royalty)
                .param("at", utc(at))
                .param("sequence", sequence)
                .update();
    }

    @Override
    public boolean advance(String cargo, Instant at, long sequence) {
        return jdbc.sql("""
                UPDATE market_view SET updated_at = :at, last_sequence = :sequence
                WHERE cargo = :cargo AND last_sequence < :sequence""")
                .param("cargo", cargo)
                .param("at", utc(at))
                .param("sequence", sequence)
                .update() == 1;
    }

    @Override
    public void putAsk(String cargo, String island, long price, boolean online) {
        jdbc.sql("""
                INSERT INTO market_ask (cargo, island_id, price_micro_credits, online)
                VALUES (:cargo, :island, :price, :online)
                ON CONFLICT (cargo, island_id)
                DO UPDATE SET price_micro_credits = :price, online = :online""")
                .param("cargo", cargo)
                .param("island", island)
                .param("price", price)
                .param("online", online)
                .update();
    }

    @Override
    public void repriceAsk(String cargo, String island, long price) {
        jdbc.sql("UPDATE market_ask SET price_micro_credits = :price WHERE cargo = :cargo AND island_id = :island")
                .param("price", price)
                .param("cargo", cargo)
                .param("island", island)
                .update();
    }

    @Override
    public void removeAsk(String cargo, String island) {
        jdbc.sql("DELETE FROM market_ask WHERE cargo = :cargo AND island_id = :island")
                .param("cargo", cargo)
                .param("island", island)
                .update();
    }

    @Override
    public void askOnline(String cargo, String island, boolean online) {
        jdbc.sql("UPDATE market_ask SET online = :online WHERE cargo = :cargo AND island_id = :island")
                .param("online", online)
                .param("cargo", cargo)
                .param("island", island)
                .update();
    }

    /** Asks are few per market (one per Island), so their figures are simply recounted. */
    @Override
    public void refreshAsks(String cargo) {
        jdbc.sql("""
                UPDATE market_view SET
                    asks = (SELECT count(*) FROM market_ask WHERE cargo = :cargo),
                    online_asks = (SELECT count(*) FROM market_ask WHERE cargo = :cargo AND online),
                    best_ask_micro_credits = (SELECT min(price_micro_credits) FROM market_ask
                                              WHERE cargo = :cargo AND online)
                WHERE cargo = :cargo""")
                .param("cargo", cargo)
                .update();
    }

    @Override
    public void addBid(String cargo, String job, long limit) {
        jdbc.sql("""
                INSERT INTO market_resting_bid (cargo, job_id, limit_micro_credits)
                VALUES (:cargo, :job, :limit)""")
                .param("cargo", cargo)
                .param("job", job)
                .param("limit", limit)
                .update();
    }

    @Override
    public int markResting(String cargo, String job, boolean resting) {
        return jdbc.sql("""
                UPDATE market_resting_bid SET resting = :resting
                WHERE cargo = :cargo AND job_id = :job AND resting <> :resting""")
                .param("resting", resting)
                .param("cargo", cargo)
                .param("job", job)
                .update();
    }

    @Override
    public boolean removeBid(String cargo, String job) {
        return jdbc.sql("DELETE FROM market_resting_bid WHERE cargo = :cargo AND job_id = :job RETURNING resting")
                .param("cargo", cargo)
                .param("job", job)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** Resting bids can be many: they are counted by difference, the best limit read from the index. */
    @Override
    public void refreshBids(String cargo, int change) {
        jdbc.sql("""
                UPDATE market_view SET
                    resting_bids = resting_bids + :change,
                    best_bid_micro_credits = (SELECT max(limit_micro_credits) FROM market_resting_bid
                                              WHERE cargo = :cargo AND resting)
                WHERE cargo = :cargo""")
                .param("change", change)
                .param("cargo", cargo)
                .update();
    }

    @Override
    public void trade(String cargo, long units) {
        jdbc.sql("UPDATE market_view SET volume_units = volume_units + :units, trades = trades + 1"
                        + " WHERE cargo = :cargo")
                .param("units", units)
                .param("cargo", cargo)
                .update();
    }

    @Override
    public void clearRate(String cargo, @Nullable Long rate, Instant at, long sequence) {
        jdbc.sql("""
                UPDATE market_view
                SET last_rate_micro_credits = COALESCE(:rate, last_rate_micro_credits), rate_cleared_at = :at,
                    updated_at = :at, last_sequence = :sequence
                WHERE cargo = :cargo AND last_sequence < :sequence""")
                .param("rate", rate)
                .param("cargo", cargo)
                .param("at", utc(at))
                .param("sequence", sequence)
                .update();
    }

    static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

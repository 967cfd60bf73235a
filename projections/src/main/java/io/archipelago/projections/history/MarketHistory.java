package io.archipelago.projections.history;

import java.sql.Date;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the candles, the usage and the depth of the markets. */
@Component
public final class MarketHistory {

    private final JdbcClient jdbc;

    MarketHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The rates a market cleared in {@code [from, to)}, oldest first. */
    public List<RatePoint> rates(String cargo, Instant from, Instant to, int offset, int limit) {
        return jdbc.sql("""
                SELECT * FROM market_rate WHERE cargo = :cargo AND cleared_at >= :from AND cleared_at < :to
                ORDER BY cleared_at LIMIT :limit OFFSET :offset""")
                .param("cargo", cargo)
                .param("from", utc(from))
                .param("to", utc(to))
                .param("limit", limit)
                .param("offset", offset)
                .query((row, number) -> new RatePoint(row.getString("cargo"),
                        row.getObject("cleared_at", OffsetDateTime.class).toInstant(),
                        row.getObject("rate_micro_credits", Long.class), row.getLong("volume_units"),
                        row.getInt("trades"), row.getObject("best_bid", Long.class),
                        row.getObject("best_ask", Long.class), row.getInt("bid_depth"), row.getInt("ask_depth")))
                .list();
    }

    /** Candles of a market at a resolution whose buckets start in {@code [from, to)}, oldest first. */
    public List<Candle> candles(String cargo, Resolution resolution, Instant from, Instant to, int offset,
                                int limit) {
        return jdbc.sql("""
                SELECT * FROM market_candle
                WHERE cargo = :cargo AND resolution = :resolution AND bucket_start >= :from AND bucket_start < :to
                ORDER BY bucket_start LIMIT :limit OFFSET :offset""")
                .param("cargo", cargo)
                .param("resolution", resolution.code())
                .param("from", utc(from))
                .param("to", utc(to))
                .param("limit", limit)
                .param("offset", offset)
                .query((row, number) -> new Candle(row.getString("cargo"), row.getString("resolution"),
                        row.getObject("bucket_start", OffsetDateTime.class).toInstant(), row.getLong("open_price"),
                        row.getLong("high_price"), row.getLong("low_price"), row.getLong("close_price"),
                        row.getLong("volume_units"), row.getLong("trades")))
                .list();
    }

    /**
     * Daily usage on the days that {@code [from, to)} touches, of one Cargo type and/or publisher when given, by day
     * then Cargo type.
     */
    public List<CargoUsage> usage(@Nullable String cargo, @Nullable String publisher, Instant from, Instant to,
                                  int offset, int limit) {
        return jdbc.sql("""
                SELECT * FROM cargo_usage
                WHERE (CAST(:cargo AS VARCHAR) IS NULL OR cargo = :cargo)
                  AND (CAST(:publisher AS VARCHAR) IS NULL OR publisher = :publisher)
                  AND day BETWEEN :first AND :last
                ORDER BY day, cargo LIMIT :limit OFFSET :offset""")
                .param("cargo", cargo)
                .param("publisher", publisher)
                .param("first", Date.valueOf(from.atOffset(ZoneOffset.UTC).toLocalDate()))
                .param("last", Date.valueOf(to.minusNanos(1).atOffset(ZoneOffset.UTC).toLocalDate()))
                .param("limit", limit)
                .param("offset", offset)
                .query((row, number) -> new CargoUsage(row.getString("cargo"), row.getString("publisher"),
                        row.getDate("day").toLocalDate(), row.getLong("jobs"), row.getLong("units"),
                        row.getLong("charged_micro_credits"), row.getLong("host_micro_credits"),
                        row.getLong("royalty_micro_credits"), row.getLong("fee_micro_credits")))
                .list();
    }

    /** The order book of a market by price level, at most {@code levels} per side. */
    public OrderBookDepth depth(String cargo, int levels) {
        List<DepthLevel> bids = jdbc.sql("""
                SELECT limit_micro_credits AS price, count(*) AS orders FROM market_resting_bid
                WHERE cargo = :cargo AND resting
                GROUP BY limit_micro_credits ORDER BY limit_micro_credits DESC LIMIT :levels""")
                .param("cargo", cargo)
                .param("levels", levels)
                .query((row, number) -> new DepthLevel(row.getLong("price"), row.getLong("orders")))
                .list();
        List<DepthLevel> asks = jdbc.sql("""
                SELECT price_micro_credits AS price, count(*) AS orders FROM market_ask
                WHERE cargo = :cargo AND online GROUP BY price_micro_credits ORDER BY price_micro_credits
                LIMIT :levels""")
                .param("cargo", cargo)
                .param("levels", levels)
                .query((row, number) -> new DepthLevel(row.getLong("price"), row.getLong("orders")))
                .list();
        return new OrderBookDepth(cargo, bids, asks);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

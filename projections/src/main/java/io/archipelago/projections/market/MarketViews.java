package io.archipelago.projections.market;

import io.archipelago.exchange.ids.CargoType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code market_view}. */
@Component
public final class MarketViews {

    private final JdbcClient jdbc;

    MarketViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The market of this Cargo type, once its registration has been projected; none for a name that is not in a
     * Cargo type's form (which no market can have, and which may hold what PostgreSQL refuses to read, such as NUL).
     */
    public Optional<MarketView> find(String cargo) {
        try {
            new CargoType(cargo);
        } catch (IllegalArgumentException notACargoType) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM market_view WHERE cargo = :cargo")
                .param("cargo", cargo)
                .query((row, number) -> view(row))
                .optional();
    }

    /** Every market, by Cargo type. */
    public List<MarketView> all() {
        return jdbc.sql("SELECT * FROM market_view ORDER BY cargo")
                .query((row, number) -> view(row))
                .list();
    }

    /** The asks of one Island, by Cargo type. */
    public List<MarketAsk> asksOf(String islandId) {
        return jdbc.sql("SELECT * FROM market_ask WHERE island_id = :island ORDER BY cargo")
                .param("island", islandId)
                .query((row, number) -> new MarketAsk(row.getString("cargo"), row.getString("island_id"),
                        row.getLong("price_micro_credits"), row.getBoolean("online")))
                .list();
    }

    private static MarketView view(ResultSet row) throws SQLException {
        OffsetDateTime cleared = row.getObject("rate_cleared_at", OffsetDateTime.class);
        return new MarketView(row.getString("cargo"), row.getString("unit"), row.getString("publisher"),
                row.getLong("royalty_micro_credits"), row.getInt("asks"), row.getInt("online_asks"),
                row.getObject("best_ask_micro_credits", Long.class), row.getLong("resting_bids"),
                row.getObject("best_bid_micro_credits", Long.class),
                row.getObject("last_rate_micro_credits", Long.class), cleared == null ? null : cleared.toInstant(),
                row.getLong("volume_units"), row.getLong("trades"),
                row.getObject("opened_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}

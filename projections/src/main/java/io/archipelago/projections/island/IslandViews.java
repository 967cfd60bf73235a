package io.archipelago.projections.island;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code island_view} and {@code karma_history}. */
@Component
public final class IslandViews {

    private final JdbcClient jdbc;

    IslandViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<IslandView> find(String islandId) {
        return jdbc.sql("SELECT * FROM island_view WHERE island_id = :island")
                .param("island", islandId)
                .query((row, number) -> view(row))
                .optional();
    }

    /** Islands by karma, highest first (the leaderboard), of one country when given. */
    public List<IslandView> byKarma(@Nullable String country, int offset, int limit) {
        return jdbc.sql("""
                SELECT * FROM island_view WHERE (CAST(:country AS VARCHAR) IS NULL OR country = :country)
                ORDER BY karma DESC, island_id LIMIT :limit OFFSET :offset""")
                .param("country", country)
                .param("limit", limit)
                .param("offset", offset)
                .query((row, number) -> view(row))
                .list();
    }

    /** The Islands {@code owner} registered, by Island id. */
    public List<IslandView> ownedBy(String owner) {
        return jdbc.sql("SELECT * FROM island_view WHERE owner = :owner ORDER BY island_id")
                .param("owner", owner)
                .query((row, number) -> view(row))
                .list();
    }

    /** An Island's karma changes in {@code [from, to)}, oldest first. */
    public List<KarmaChange> karmaHistory(String islandId, Instant from, Instant to, int offset, int limit) {
        return jdbc.sql("""
                SELECT * FROM karma_history WHERE island_id = :island AND at >= :from AND at < :to
                ORDER BY sequence LIMIT :limit OFFSET :offset""")
                .param("island", islandId)
                .param("from", from.atOffset(ZoneOffset.UTC))
                .param("to", to.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .param("offset", offset)
                .query((row, number) -> new KarmaChange(row.getString("island_id"), row.getLong("sequence"),
                        row.getInt("previous"), row.getInt("current"), row.getString("reason"),
                        row.getString("job_id"), row.getObject("at", OffsetDateTime.class).toInstant()))
                .list();
    }

    private static IslandView view(ResultSet row) throws SQLException {
        OffsetDateTime since = row.getObject("online_since", OffsetDateTime.class);
        String cargoTypes = row.getString("cargo_types");
        return new IslandView(row.getString("island_id"), row.getString("owner"), row.getString("country"),
                cargoTypes.isEmpty() ? List.of() : Arrays.asList(cargoTypes.split(",")), row.getInt("slots"),
                row.getBoolean("verified"), row.getBoolean("online"), since == null ? null : since.toInstant(),
                row.getLong("uptime_millis"), row.getInt("karma"), row.getObject("rtt_micros", Long.class),
                row.getObject("registered_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant(),
                IslandSchedule.parse(row.getString("schedule")));
    }
}

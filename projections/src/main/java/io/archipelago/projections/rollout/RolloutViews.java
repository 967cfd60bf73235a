package io.archipelago.projections.rollout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the rollouts' views. */
@Component
public final class RolloutViews {

    private final JdbcClient jdbc;

    RolloutViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every rollout, the latest started first. */
    public List<RolloutView> all() {
        return jdbc.sql("SELECT rollout_id FROM rollout_view ORDER BY started_at DESC, rollout_id")
                .query(String.class).list().stream().map(this::find).flatMap(Optional::stream).toList();
    }

    /** Whether a rollout of model name {@code rolloutId} is running: one indexed read, for every request's route. */
    public boolean isRunning(String rolloutId) {
        return jdbc.sql("SELECT count(*) FROM rollout_view WHERE rollout_id = :rollout AND status = 'RUNNING'")
                .param("rollout", rolloutId).query(Long.class).single() > 0;
    }

    /** The rollout of model name {@code rolloutId}. */
    public Optional<RolloutView> find(String rolloutId) {
        List<RolloutView.Variant> variants = jdbc.sql("""
                SELECT cargo, version, weight, jobs, failures, ttft_micros_sum, ttft_count, total_micros_sum,
                       feedback_count, feedback_sum
                FROM rollout_variant_view WHERE rollout_id = :rollout ORDER BY position""")
                .param("rollout", rolloutId).query((row, number) -> variant(row)).list();
        List<RolloutView.Decision> decisions = jdbc.sql("""
                SELECT verdict, variant, version, difference, variance, likelihood_ratio, p_value, reason, decided_at
                FROM rollout_decision_view WHERE rollout_id = :rollout ORDER BY decided_at, variant""")
                .param("rollout", rolloutId)
                .query((row, number) -> new RolloutView.Decision(row.getString("verdict"), row.getString("variant"),
                        version(row), row.getDouble("difference"), row.getDouble("variance"),
                        row.getDouble("likelihood_ratio"), row.getDouble("p_value"), row.getString("reason"),
                        instant(row, "decided_at")))
                .list();
        return jdbc.sql("""
                SELECT rollout_id, metric, status, winner, winner_version, alpha, rollback_alpha, tau,
                       minimum_per_variant, started_at, updated_at
                FROM rollout_view WHERE rollout_id = :rollout""")
                .param("rollout", rolloutId)
                .query((row, number) -> new RolloutView(row.getString("rollout_id"), row.getString("metric"),
                        row.getString("status"), row.getString("winner"), row.getString("winner_version"),
                        row.getDouble("alpha"), row.getDouble("rollback_alpha"), row.getDouble("tau"),
                        row.getLong("minimum_per_variant"), variants, decisions, instant(row, "started_at"),
                        instant(row, "updated_at")))
                .optional();
    }

    private static RolloutView.Variant variant(ResultSet row) throws SQLException {
        long jobs = row.getLong("jobs");
        long ttftCount = row.getLong("ttft_count");
        long feedback = row.getLong("feedback_count");
        return new RolloutView.Variant(row.getString("cargo"), version(row), row.getInt("weight"), jobs,
                row.getLong("failures"),
                ttftCount == 0 ? null : row.getLong("ttft_micros_sum") / ttftCount,
                jobs == 0 ? null : row.getLong("total_micros_sum") / jobs, feedback,
                feedback == 0 ? null : row.getDouble("feedback_sum") / feedback);
    }

    private static @Nullable String version(ResultSet row) throws SQLException {
        String version = row.getString("version");
        return version == null || version.isEmpty() ? null : version;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }
}

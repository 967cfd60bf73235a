package io.archipelago.projections.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code job_view}. */
@Component
public final class JobViews {

    private final JdbcClient jdbc;

    JobViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The job with this id. Job ids are unique within a market; should two markets hold the same id, the one
     * submitted last is returned.
     */
    public Optional<JobView> find(String jobId) {
        return jdbc.sql("SELECT * FROM job_view WHERE job_id = :job ORDER BY submitted_at DESC, cargo LIMIT 1")
                .param("job", jobId)
                .query((row, number) -> view(row))
                .optional();
    }

    private static JobView view(ResultSet row) throws SQLException {
        Long ask = number(row, "ask_micro_credits");
        Long royalty = number(row, "royalty_micro_credits");
        Long fee = number(row, "fee_micro_credits");
        Long price = ask == null || royalty == null || fee == null ? null : ask + royalty + fee;
        return new JobView(row.getString("job_id"), row.getString("cargo"), row.getString("consumer"),
                JobStatus.valueOf(row.getString("status")), number(row, "limit_micro_credits"),
                number(row, "max_units"), number(row, "escrow_micro_credits"), row.getString("jurisdiction"),
                row.getString("island_id"), row.getString("host"), ask, royalty, fee, price,
                number(row, "rtt_micros"), number(row, "ttft_micros"), number(row, "units"),
                number(row, "charged_micro_credits"), number(row, "released_micro_credits"),
                row.getString("rejection_reason"), row.getString("detail"), instant(row, "submitted_at"),
                instant(row, "expires_at"), instant(row, "placed_at"), instant(row, "started_at"),
                instant(row, "finished_at"), instant(row, "updated_at"));
    }

    private static @Nullable Long number(ResultSet row, String column) throws SQLException {
        return row.getObject(column, Long.class);
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}

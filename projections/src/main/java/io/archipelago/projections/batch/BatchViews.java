package io.archipelago.projections.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code batch_view}, {@code batch_item_view} and {@code batch_progress}. */
@Component
public final class BatchViews {

    private final JdbcClient jdbc;

    BatchViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The batch {@code batchId} if {@code account} owns it: another account's batch is as absent as an unknown one. */
    public Optional<BatchView> find(String batchId, String account) {
        return jdbc.sql("SELECT * FROM batch_view WHERE batch_id = :id AND account_id = :account")
                .param("id", batchId)
                .param("account", account)
                .query((row, number) -> new BatchView(row.getString("batch_id"), row.getString("account_id"),
                        row.getString("model"), row.getString("status"), row.getInt("total"),
                        row.getInt("completed"), row.getInt("failed"), row.getLong("cost_micro_credits"),
                        instant(row, "created_at"), instant(row, "finished_at"), items(batchId)))
                .optional();
    }

    /** The batch's progress events numbered after {@code afterSeq}, in order. */
    public List<BatchProgressView> progress(String batchId, long afterSeq) {
        return jdbc.sql("SELECT seq, type, data FROM batch_progress WHERE batch_id = :id AND seq > :after "
                        + "ORDER BY seq")
                .param("id", batchId)
                .param("after", afterSeq)
                .query((row, number) -> new BatchProgressView(row.getLong("seq"), row.getString("type"),
                        row.getString("data")))
                .list();
    }

    private List<BatchItemView> items(String batchId) {
        return jdbc.sql("SELECT * FROM batch_item_view WHERE batch_id = :id ORDER BY item_index")
                .param("id", batchId)
                .query((row, number) -> new BatchItemView(row.getInt("item_index"), row.getString("status"),
                        row.getString("job_id"), row.getString("island_id"), row.getInt("attempts"),
                        row.getObject("units", Long.class), row.getObject("cost_micro_credits", Long.class),
                        islands(row.getString("failed_on")), row.getString("reason"), row.getString("result")))
                .list();
    }

    private static List<String> islands(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}

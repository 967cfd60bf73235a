package io.archipelago.coordinator.openai;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The batches' tables ({@code batch}, {@code batch_item}, {@code batch_event}): what a batch is, what came of each of
 * its items and its progress events in order, so that a batch reads the same after it ended, or after a restart.
 */
@Component
final class BatchStore {

    private final JdbcClient jdbc;

    BatchStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A batch as stored, its items in input order. */
    record StoredBatch(String id, String account, String model, String status, int total, Instant createdAt,
                       @Nullable Instant finishedAt, List<StoredItem> items) {
    }

    /** An item as stored; {@code failedOn} lists the Islands its failed attempts ran on. */
    record StoredItem(int index, String status, @Nullable String jobId, @Nullable String islandId, int attempts,
                      @Nullable Long units, @Nullable Long costMicroCredits, List<String> failedOn,
                      @Nullable String reason, @Nullable String result) {
    }

    /** A progress event: its type and its JSON. */
    record StoredEvent(int seq, String type, String data) {
    }

    void create(String id, String account, String model, int total, Instant at) {
        jdbc.sql("INSERT INTO batch (batch_id, account_id, model, status, total, created_at) "
                        + "VALUES (:id, :account, :model, 'running', :total, :at)")
                .param("id", id).param("account", account).param("model", model).param("total", total)
                .param("at", utc(at)).update();
        jdbc.sql("INSERT INTO batch_item (batch_id, item_index, status, attempts, failed_on) "
                        + "SELECT :id, i, 'queued', 0, '' FROM generate_series(0, :last) AS i")
                .param("id", id).param("last", total - 1).update();
    }

    void update(String id, StoredItem item) {
        jdbc.sql("UPDATE batch_item SET status = :status, job_id = :job, island_id = :island, attempts = :attempts, "
                        + "units = :units, cost_micro_credits = :cost, failed_on = :failedOn, reason = :reason, "
                        + "result = :result WHERE batch_id = :id AND item_index = :index")
                .param("status", item.status()).param("job", item.jobId()).param("island", item.islandId())
                .param("attempts", item.attempts()).param("units", item.units())
                .param("cost", item.costMicroCredits()).param("failedOn", String.join(",", item.failedOn()))
                .param("reason", item.reason()).param("result", item.result())
                .param("id", id).param("index", item.index()).update();
    }

    void finish(String id, String status, Instant at) {
        jdbc.sql("UPDATE batch SET status = :status, finished_at = :at WHERE batch_id = :id")
                .param("status", status).param("at", utc(at)).param("id", id).update();
    }

    void append(String id, int seq, String type, String data, Instant at) {
        jdbc.sql("INSERT INTO batch_event (batch_id, seq, type, data, at) VALUES (:id, :seq, :type, :data, :at)")
                .param("id", id).param("seq", seq).param("type", type).param("data", data).param("at", utc(at))
                .update();
    }

    /** The batch {@code id} if {@code account} owns it: another account's batch is as absent as an unknown one. */
    Optional<StoredBatch> find(String id, String account) {
        Optional<StoredBatch> batch = jdbc.sql("SELECT * FROM batch WHERE batch_id = :id AND account_id = :account")
                .param("id", id).param("account", account)
                .query((row, number) -> new StoredBatch(row.getString("batch_id"), row.getString("account_id"),
                        row.getString("model"), row.getString("status"), row.getInt("total"),
                        instant(row, "created_at"), instant(row, "finished_at"), List.of()))
                .optional();
        return batch.map(found -> new StoredBatch(found.id(), found.account(), found.model(), found.status(),
                found.total(), found.createdAt(), found.finishedAt(), items(id)));
    }

    List<StoredEvent> events(String id) {
        return jdbc.sql("SELECT seq, type, data FROM batch_event WHERE batch_id = :id ORDER BY seq")
                .param("id", id)
                .query((row, number) -> new StoredEvent(row.getInt("seq"), row.getString("type"),
                        row.getString("data")))
                .list();
    }

    private List<StoredItem> items(String id) {
        return jdbc.sql("SELECT * FROM batch_item WHERE batch_id = :id ORDER BY item_index")
                .param("id", id)
                .query((row, number) -> new StoredItem(row.getInt("item_index"), row.getString("status"),
                        row.getString("job_id"), row.getString("island_id"), row.getInt("attempts"),
                        row.getObject("units", Long.class), row.getObject("cost_micro_credits", Long.class),
                        islands(row.getString("failed_on")), row.getString("reason"), row.getString("result")))
                .list();
    }

    private static List<String> islands(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp at = row.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}

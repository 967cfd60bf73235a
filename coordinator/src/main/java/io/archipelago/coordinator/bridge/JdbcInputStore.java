package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.InputStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Job inputs in PostgreSQL's {@code job_input} table: one row per job, written before the input is acknowledged
 * (the statement commits on its own, outside any transaction of the caller's).
 */
final class JdbcInputStore implements InputStore {

    private final JdbcClient jdbc;

    JdbcInputStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void put(String jobId, @Nullable String account, byte[] json, Instant createdAt, Instant deleteAfter) {
        jdbc.sql("INSERT INTO job_input (job_id, account_id, input, size_bytes, created_at, delete_after) "
                        + "VALUES (:job, :account, :input, :size, :created, :deleteAfter) "
                        + "ON CONFLICT (job_id) DO UPDATE SET account_id = EXCLUDED.account_id, "
                        + "input = EXCLUDED.input, size_bytes = EXCLUDED.size_bytes, "
                        + "created_at = EXCLUDED.created_at, delete_after = EXCLUDED.delete_after")
                .param("job", jobId).param("account", account).param("input", json).param("size", json.length)
                .param("created", utc(createdAt)).param("deleteAfter", utc(deleteAfter)).update();
    }

    @Override
    public Optional<byte[]> get(String jobId) {
        return jdbc.sql("SELECT input FROM job_input WHERE job_id = :job").param("job", jobId)
                .query((row, number) -> row.getBytes("input")).optional();
    }

    @Override
    public void delete(String jobId) {
        jdbc.sql("DELETE FROM job_input WHERE job_id = :job").param("job", jobId).update();
    }

    @Override
    public void deleteAfter(String jobId, Instant deleteAfter) {
        jdbc.sql("UPDATE job_input SET delete_after = LEAST(delete_after, :deleteAfter) WHERE job_id = :job")
                .param("job", jobId).param("deleteAfter", utc(deleteAfter)).update();
    }

    @Override
    public int deleteDue(Instant now) {
        return jdbc.sql("DELETE FROM job_input WHERE delete_after < :now").param("now", utc(now)).update();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

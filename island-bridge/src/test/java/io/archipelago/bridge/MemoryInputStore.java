package io.archipelago.bridge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** An {@link InputStore} in memory, for the bridge's own tests: the coordinator keeps inputs in PostgreSQL. */
final class MemoryInputStore implements InputStore {

    record Row(@Nullable String account, byte[] json, Instant createdAt, Instant deleteAfter) {
    }

    /** The largest inputs, deleted at settlement, kept an hour at most. */
    static final InputLimits LIMITS = new InputLimits(InputLimits.MAX_BYTES_CEILING, Duration.ZERO,
            Duration.ofHours(1));

    final Map<String, Row> rows = new ConcurrentHashMap<>();

    /** Job inputs kept in this store, timed by {@code clock}. */
    JobInputs inputs(Clock clock) {
        return new JobInputs(this, LIMITS, clock);
    }

    @Override
    public void put(String jobId, @Nullable String account, byte[] json, Instant createdAt, Instant deleteAfter) {
        rows.put(jobId, new Row(account, json.clone(), createdAt, deleteAfter));
    }

    @Override
    public Optional<byte[]> get(String jobId) {
        return Optional.ofNullable(rows.get(jobId)).map(row -> row.json().clone());
    }

    @Override
    public void delete(String jobId) {
        rows.remove(jobId);
    }

    @Override
    public void deleteAfter(String jobId, Instant deleteAfter) {
        rows.computeIfPresent(jobId, (id, row) -> new Row(row.account(), row.json(), row.createdAt(),
                deleteAfter.isBefore(row.deleteAfter()) ? deleteAfter : row.deleteAfter()));
    }

    @Override
    public int deleteDue(Instant now) {
        int before = rows.size();
        rows.values().removeIf(row -> row.deleteAfter().isBefore(now));
        return before - rows.size();
    }
}

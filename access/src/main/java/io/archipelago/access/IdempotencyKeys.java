package io.archipelago.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Idempotency keys in PostgreSQL ({@code idempotency_key}): claimed atomically by the first request with a key, so
 * that of two requests at once on any nodes exactly one runs; answered when that request ends; forgotten after
 * {@link #KEPT}. A key older than that is claimed afresh as if it were new, and swept in the background.
 */
final class IdempotencyKeys implements SmartLifecycle {

    /** How long a key's answer is kept for retries. */
    static final Duration KEPT = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration sweepInterval;
    private @Nullable ScheduledExecutorService sweeper;

    IdempotencyKeys(JdbcClient jdbc, ObjectMapper json, Clock clock, Duration sweepInterval) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.sweepInterval = sweepInterval;
    }

    /** What a key holds: the request it was first used for, and how that request ended, when it did. */
    enum State { IN_PROGRESS, ANSWERED, TOO_LARGE }

    /** A key's row; {@code answer} is set once the first request ended (its body empty when {@code TOO_LARGE}). */
    record Row(String fingerprint, State state, Instant createdAt, @Nullable Answer answer) {
    }

    /** An answer as its first client was sent it: status, content type, the headers that matter and the body. */
    record Answer(int status, @Nullable String contentType, Map<String, String> headers, byte[] body) {
    }

    /**
     * Claims {@code key} in {@code scope} for the request with {@code fingerprint}: empty when this call claimed it
     * (the request may run), else the row another request left, untouched.
     */
    Optional<Row> claim(String scope, String key, String fingerprint) {
        Instant now = clock.instant();
        int claimed = jdbc.sql("INSERT INTO idempotency_key (scope, idempotency_key, fingerprint, state, created_at) "
                        + "VALUES (:scope, :key, :fingerprint, 'IN_PROGRESS', :now) "
                        + "ON CONFLICT (scope, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
                        + "state = EXCLUDED.state, created_at = EXCLUDED.created_at, finished_at = NULL, "
                        + "status = NULL, content_type = NULL, headers = NULL, body = NULL "
                        + "WHERE idempotency_key.created_at < :expired")
                .param("scope", scope)
                .param("key", key)
                .param("fingerprint", fingerprint)
                .param("now", utc(now))
                .param("expired", utc(now.minus(KEPT)))
                .update();
        if (claimed == 1) {
            return Optional.empty();
        }
        Optional<Row> row = jdbc.sql("SELECT fingerprint, state, created_at, status, content_type, headers, body "
                        + "FROM idempotency_key WHERE scope = :scope AND idempotency_key = :key")
                .param("scope", scope)
                .param("key", key)
                .query((result, index) -> {
                    State state = State.valueOf(result.getString("state"));
                    Answer answer = state == State.IN_PROGRESS ? null : new Answer(result.getInt("status"),
                            result.getString("content_type"), headers(result.getString("headers")),
                            Optional.ofNullable(result.getBytes("body")).orElse(new byte[0]));
                    return new Row(result.getString("fingerprint"), state,
                            result.getObject("created_at", OffsetDateTime.class).toInstant(), answer);
                })
                .optional();
        // released between the insert and the read: claim it again
        return row.isPresent() ? row : claim(scope, key, fingerprint);
    }

    /** Keeps the answer of the request that claimed {@code key}; {@code body} null when it was too large to keep. */
    void answer(String scope, String key, int status, @Nullable String contentType, Map<String, String> headers,
                byte @Nullable [] body) {
        String kept;
        try {
            kept = json.writeValueAsString(headers);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        jdbc.sql("UPDATE idempotency_key SET state = :state, finished_at = :now, status = :status, "
                        + "content_type = :type, headers = :headers, body = :body "
                        + "WHERE scope = :scope AND idempotency_key = :key AND state = 'IN_PROGRESS'")
                .param("state", (body == null ? State.TOO_LARGE : State.ANSWERED).name())
                .param("now", utc(clock.instant()))
                .param("status", status)
                .param("type", contentType)
                .param("headers", kept)
                .param("body", body)
                .param("scope", scope)
                .param("key", key)
                .update();
    }

    /** Gives {@code key} up: the request that claimed it ended without an answer worth repeating. */
    void release(String scope, String key) {
        jdbc.sql("DELETE FROM idempotency_key WHERE scope = :scope AND idempotency_key = :key "
                        + "AND state = 'IN_PROGRESS'")
                .param("scope", scope)
                .param("key", key)
                .update();
    }

    /** Forgets the keys older than {@link #KEPT}; how many. */
    int sweep() {
        return jdbc.sql("DELETE FROM idempotency_key WHERE created_at < :expired")
                .param("expired", utc(clock.instant().minus(KEPT)))
                .update();
    }

    private Map<String, String> headers(@Nullable String kept) {
        if (kept == null) {
            return Map.of();
        }
        try {
            return json.readValue(kept, HEADERS);
        } catch (JsonProcessingException unreadable) {
            throw new IllegalStateException("idempotency_key.headers is not a JSON object of strings", unreadable);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public synchronized void start() {
        if (sweepInterval.isZero()) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "idempotency-sweep");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(() -> {
            try {
                int swept = sweep();
                LOG.debug("swept {} idempotency keys older than {}", swept, KEPT);
            } catch (DataAccessException unavailable) {
                // the database is away for a moment: the next sweep tries again
                LOG.debug("idempotency sweep skipped: {}", unavailable.toString());
            }
        }, sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
        sweeper = started;
    }

    @Override
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sweeper != null;
    }
}

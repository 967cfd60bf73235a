package io.archipelago.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
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
 *
 * <p>Each key in progress names its holder, this process (a new one at every start), which renews a lease on itself
 * in {@code idempotency_holder} every third of the lease; a key whose holder's lease ran out (its node was killed or
 * cut off from the database) can be taken over by a retry on any node, once, atomically. The key also names the job
 * its request made, recorded before that job's bid was submitted, so that whoever takes it over knows what to end.
 * Times are the database's, so that the nodes' clocks need not agree.
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
    private final double leaseSeconds;
    private final String holder = "holder-" + HexFormat.of().toHexDigits(new SecureRandom().nextLong());
    private @Nullable ScheduledExecutorService sweeper;

    IdempotencyKeys(JdbcClient jdbc, ObjectMapper json, Clock clock, Duration sweepInterval, Duration lease) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.sweepInterval = sweepInterval;
        this.leaseSeconds = lease.toMillis() / 1000.0;
    }

    /** This process, as the keys it claims name it. */
    String holder() {
        return holder;
    }

    /** What a key holds: the request it was first used for, and how that request ended, when it did. */
    enum State { IN_PROGRESS, ANSWERED, TOO_LARGE }

    /**
     * A key's row; {@code answer} is set once the first request ended (its body empty when {@code TOO_LARGE});
     * {@code orphaned} when it is in progress under a holder whose lease ran out.
     */
    record Row(String fingerprint, State state, Instant createdAt, @Nullable Answer answer, boolean orphaned) {
    }

    /** A key taken over from a holder that died: the job its request had made and its market, if it made one. */
    record Orphan(@Nullable String jobId, @Nullable String cargo) {
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
        int claimed = jdbc.sql("INSERT INTO idempotency_key (scope, idempotency_key, fingerprint, state, created_at, "
                        + "holder) VALUES (:scope, :key, :fingerprint, 'IN_PROGRESS', :now, :holder) "
                        + "ON CONFLICT (scope, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
                        + "state = EXCLUDED.state, created_at = EXCLUDED.created_at, finished_at = NULL, "
                        + "status = NULL, content_type = NULL, headers = NULL, body = NULL, "
                        + "holder = EXCLUDED.holder, job_id = NULL, job_cargo = NULL "
                        + "WHERE idempotency_key.created_at < :expired")
                .param("holder", holder)
                .param("scope", scope)
                .param("key", key)
                .param("fingerprint", fingerprint)
                .param("now", utc(now))
                .param("expired", utc(now.minus(KEPT)))
                .update();
        if (claimed == 1) {
            return Optional.empty();
        }
        Optional<Row> row = jdbc.sql("SELECT fingerprint, state, created_at, status, content_type, headers, body, "
                        + "k.holder IS NOT NULL AND NOT EXISTS (SELECT 1 FROM idempotency_holder h "
                        + "WHERE h.holder = k.holder AND h.lease_until > now()) AS orphaned "
                        + "FROM idempotency_key k WHERE scope = :scope AND idempotency_key = :key")
                .param("scope", scope)
                .param("key", key)
                .query((result, index) -> {
                    State state = State.valueOf(result.getString("state"));
                    Answer answer = state == State.IN_PROGRESS ? null : new Answer(result.getInt("status"),
                            result.getString("content_type"), headers(result.getString("headers")),
                            Optional.ofNullable(result.getBytes("body")).orElse(new byte[0]));
                    return new Row(result.getString("fingerprint"), state,
                            result.getObject("created_at", OffsetDateTime.class).toInstant(), answer,
                            state == State.IN_PROGRESS && result.getBoolean("orphaned"));
                })
                .optional();
        // released between the insert and the read: claim it again
        return row.isPresent() ? row : claim(scope, key, fingerprint);
    }

    /**
     * Takes {@code key} over for this process, when it is still in progress for the request with {@code fingerprint}
     * under a holder whose lease ran out; empty when it is not (another retry took it first, or it was answered).
     */
    Optional<Orphan> takeOver(String scope, String key, String fingerprint) {
        return jdbc.sql("UPDATE idempotency_key k SET holder = :holder, job_id = NULL, job_cargo = NULL "
                        + "FROM (SELECT scope, idempotency_key, holder, job_id, job_cargo FROM idempotency_key o "
                        + "WHERE scope = :scope AND idempotency_key = :key AND fingerprint = :fingerprint "
                        + "AND state = 'IN_PROGRESS' AND holder IS NOT NULL AND holder <> :holder "
                        + "AND NOT EXISTS (SELECT 1 FROM idempotency_holder h "
                        + "WHERE h.holder = o.holder AND h.lease_until > now()) FOR UPDATE) old "
                        + "WHERE k.scope = old.scope AND k.idempotency_key = old.idempotency_key "
                        + "AND k.holder = old.holder AND k.state = 'IN_PROGRESS' RETURNING old.job_id, old.job_cargo")
                .param("holder", holder)
                .param("scope", scope)
                .param("key", key)
                .param("fingerprint", fingerprint)
                .query((result, index) -> new Orphan(result.getString("job_id"),
                        result.getString("job_cargo")))
                .optional();
    }

    /** Notes on {@code key}, held by this process, the job its request made, before that job's bid goes in. */
    void recordJob(String scope, String key, String cargo, String jobId) {
        jdbc.sql("UPDATE idempotency_key SET job_id = :job, job_cargo = :cargo "
                        + "WHERE scope = :scope AND idempotency_key = :key AND state = 'IN_PROGRESS' "
                        + "AND holder = :holder")
                .param("job", jobId)
                .param("cargo", cargo)
                .param("scope", scope)
                .param("key", key)
                .param("holder", holder)
                .update();
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
                        + "WHERE scope = :scope AND idempotency_key = :key AND state = 'IN_PROGRESS' "
                        + "AND holder = :holder")
                .param("holder", holder)
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
                        + "AND state = 'IN_PROGRESS' AND holder = :holder")
                .param("holder", holder)
                .param("scope", scope)
                .param("key", key)
                .update();
    }

    /** Forgets the keys older than {@link #KEPT} and the holders long gone; how many keys. */
    int sweep() {
        jdbc.sql("DELETE FROM idempotency_holder WHERE lease_until < now() - interval '1 day'").update();
        return jdbc.sql("DELETE FROM idempotency_key WHERE created_at < :expired")
                .param("expired", utc(clock.instant().minus(KEPT)))
                .update();
    }

    /** Renews this process's lease on the keys it holds. */
    void renew() {
        jdbc.sql("INSERT INTO idempotency_holder (holder, lease_until) "
                        + "VALUES (:holder, now() + make_interval(secs => :lease)) "
                        + "ON CONFLICT (holder) DO UPDATE SET lease_until = EXCLUDED.lease_until")
                .param("holder", holder)
                .param("lease", leaseSeconds)
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
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "idempotency-keys");
            thread.setDaemon(true);
            return thread;
        });
        try {
            // held before the first request can claim a key
            renew();
        } catch (DataAccessException unavailable) {
            LOG.warn("idempotency holder lease not taken: {}", unavailable.toString());
        }
        long period = Math.max(100, (long) (leaseSeconds * 1000 / 3));
        started.scheduleWithFixedDelay(() -> {
            try {
                renew();
            } catch (DataAccessException unavailable) {
                LOG.warn("idempotency holder lease not renewed: {}", unavailable.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        sweeper = started;
        if (sweepInterval.isZero()) {
            return;
        }
        started.scheduleWithFixedDelay(() -> {
            try {
                int swept = sweep();
                LOG.debug("swept {} idempotency keys older than {}", swept, KEPT);
            } catch (DataAccessException unavailable) {
                // the database is away for a moment: the next sweep tries again
                LOG.debug("idempotency sweep skipped: {}", unavailable.toString());
            }
        }, sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Before the web server opens its port, so that no request claims a key under a holder without a lease. */
    @Override
    public int getPhase() {
        return 0;
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

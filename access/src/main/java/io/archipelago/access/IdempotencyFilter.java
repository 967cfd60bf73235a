package io.archipelago.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.WebUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * {@code Idempotency-Key} on the POSTs that create work ({@link #CREATES_WORK}): the first request with a key claims
 * it in the caller's scope (its account, or the operator) in {@link IdempotencyKeys} and runs, its answer copied as
 * it is sent (a stream written later included) and kept when it ends; a retry with the same key and the same method,
 * path and body gets that answer again, from the first byte, and creates no job; one with another request is 409
 * {@code idempotency_key_reused}; one while the first still runs waits for it, for a bounded time. Runs after the
 * {@link AccessFilter}, which authenticated the caller and read the body.
 *
 * <p>What is kept: every answer the exchange gave, refusals (4xx) included, so a retry hears the same refusal. Not
 * kept: a 5xx, or a request that failed with an exception; the key is then released and a retry runs afresh
 * (failed and expired jobs are refunded). An answer larger than the bound reaches its client whole, but a retry gets
 * 409 {@code idempotency_answer_not_kept} naming the job instead of a second job. A stream whose client went away
 * (its job is then cancelled and charged for what was streamed) is kept as far as it went, ended by an error event.
 *
 * <p>A node that dies while it runs a request leaves its key in progress: once the node's lease on it ran out
 * ({@code archipelago.idempotency.holder-lease}), the next retry, on any node, takes the key over. The job the dead
 * request made is ended first ({@link AbandonedJobs}: at no charge when it had not ended), then the request runs
 * again; a job that completed and was charged is answered 409 {@code idempotency_answer_lost} naming it, since its
 * answer died with the node and a second run would charge twice.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    /** The request attribute naming the key a running request holds, for {@link JobClaims} to note its job on. */
    static final String HELD_ATTRIBUTE = IdempotencyFilter.class.getName() + ".held";

    /** The key a running request holds. */
    record Held(String scope, String key) {
    }

    /** The POSTs that create work; a later one is added here. */
    static final List<PathPattern> CREATES_WORK = List.of(
            PathPatternParser.defaultInstance.parse("/v1/**"),
            PathPatternParser.defaultInstance.parse("/batches"),
            PathPatternParser.defaultInstance.parse("/workflows"),
            PathPatternParser.defaultInstance.parse("/workflow-templates/{name}/runs"),
            PathPatternParser.defaultInstance.parse("/markets/{cargo}/bids"));
    private static final PathPattern BIDS = PathPatternParser.defaultInstance.parse("/markets/{cargo}/bids");

    /** Longer than any request may run (a stream ends within 15 minutes): a key still in progress was abandoned. */
    private static final Duration ABANDONED = Duration.ofMinutes(20);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Retries of one key waiting at once on a node; more are answered at once, so a key cannot hold every thread. */
    private static final int MAX_WAITING = 4;
    private static final String SHOULD_RETRY = "x-should-retry";
    private static final String JOB_HEADER = "X-Archipelago-Job-Id";
    private static final byte[] INTERRUPTED = ("data: {\"error\":{\"message\":\"the connection of the first request"
            + " with this Idempotency-Key closed before its stream ended, so its job was cancelled; this is what it"
            + " streamed\",\"type\":\"server_error\",\"code\":\"stream_interrupted\"}}\n\n")
            .getBytes(StandardCharsets.UTF_8);

    private final IdempotencyKeys keys;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxStoredBytes;
    private final Duration wait;
    private final Map<String, Integer> waiting = new ConcurrentHashMap<>();
    private final Supplier<@Nullable AbandonedJobs> abandoned;

    IdempotencyFilter(IdempotencyKeys keys, ObjectMapper json, Clock clock, IdempotencyProperties properties,
                      Supplier<@Nullable AbandonedJobs> abandoned) {
        this.keys = keys;
        this.abandoned = abandoned;
        this.json = json;
        this.clock = clock;
        this.maxStoredBytes = properties.maxStoredBytes();
        this.wait = properties.retryWait();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!HttpMethod.POST.matches(request.getMethod()) || request.getHeader(HEADER) == null) {
            return true;
        }
        PathContainer path = ServletRequestPathUtils.hasParsedRequestPath(request)
                ? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()
                : ServletRequestPathUtils.parseAndCache(request).pathWithinApplication();
        return CREATES_WORK.stream().noneMatch(pattern -> pattern.matches(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication().value();
        List<String> given = Collections.list(request.getHeaders(HEADER));
        Optional<String> invalid = invalid(given);
        if (invalid.isPresent()) {
            Refusal.invalidIdempotencyKey(invalid.get()).send(request, path, response, json);
            return;
        }
        String scope = scope(request);
        if (scope == null) {
            // nobody authenticated: no route here is public, so the access filter answered already
            chain.doFilter(request, response);
            return;
        }
        String key = given.get(0);
        String fingerprint = fingerprint(request);
        String waiter = scope + "\n" + key;
        boolean waits = false;
        try {
            Instant until = clock.instant().plus(wait);
            while (true) {
                Optional<IdempotencyKeys.Row> found = keys.claim(scope, key, fingerprint);
                if (found.isEmpty()) {
                    run(request, response, chain, scope, key, path);
                    return;
                }
                IdempotencyKeys.Row row = found.get();
                if (!row.fingerprint().equals(fingerprint)) {
                    refuse(Refusal.idempotencyKeyReused(), false, request, path, response);
                    return;
                }
                if (row.answer() != null) {
                    replay(row.state(), row.answer(), request, path, response);
                    return;
                }
                if (row.orphaned()) {
                    Optional<IdempotencyKeys.Orphan> taken = keys.takeOver(scope, key, fingerprint);
                    if (taken.isPresent()) {
                        resume(taken.get(), request, response, chain, scope, key, path);
                        return;
                    }
                }
                if (row.createdAt().plus(ABANDONED).isBefore(clock.instant())) {
                    refuse(Refusal.idempotencyKeyAbandoned(), false, request, path, response);
                    return;
                }
                if (!waits) {
                    waits = true;
                    if (waiting.merge(waiter, 1, Integer::sum) > MAX_WAITING) {
                        until = clock.instant();
                    }
                }
                if (!clock.instant().isBefore(until)) {
                    refuse(Refusal.idempotencyKeyInProgress(1), true, request, path, response);
                    return;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (DataAccessException unavailable) {
            logger.warn("idempotency key check failed: " + unavailable);
            if (!response.isCommitted()) {
                refuse(Refusal.idempotencyUnavailable(), true, request, path, response);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            refuse(Refusal.idempotencyKeyInProgress(1), true, request, path, response);
        } finally {
            if (waits) {
                waiting.computeIfPresent(waiter, (ignored, count) -> count == 1 ? null : count - 1);
            }
        }
    }

    /**
     * Goes on with a key taken over from a dead node: ends the job its request left, then runs the request again
     * where that cannot charge twice, else keeps a refusal that names what happened.
     */
    private void resume(IdempotencyKeys.Orphan orphan, HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain, String scope, String key, String path)
            throws ServletException, IOException {
        String job = orphan.jobId();
        boolean bid = BIDS.matches(PathContainer.parsePath(path));
        if (job == null) {
            // the door and the bid route note their job before its bid goes in: none noted, none submitted
            if (isOpenAi(path) || bid) {
                run(request, response, chain, scope, key, path);
            } else {
                refuseAndKeep(Refusal.idempotencyKeyAbandoned(), null, request, response, scope, key, path);
            }
            return;
        }
        if (!isOpenAi(path)) {
            // a bid's job lives on without its client: it can be looked up, not submitted again
            refuseAndKeep(Refusal.idempotencyAnswerLost(job), job, request, response, scope, key, path);
            return;
        }
        AbandonedJobs jobs = abandoned.get();
        AbandonedJobs.Outcome outcome = jobs == null || orphan.cargo() == null ? AbandonedJobs.Outcome.UNKNOWN
                : jobs.end(new CargoType(orphan.cargo()), new JobId(job));
        switch (outcome) {
            case UNCHARGED -> run(request, response, chain, scope, key, path);
            case CHARGED -> refuseAndKeep(Refusal.idempotencyAnswerLost(job), job, request, response, scope, key,
                    path);
            case UNKNOWN -> refuseAndKeep(Refusal.idempotencyKeyAbandoned(), job, request, response, scope, key,
                    path);
        }
    }

    private void refuseAndKeep(Refusal refusal, @Nullable String job, HttpServletRequest request,
                               HttpServletResponse response, String scope, String key, String path)
            throws IOException {
        TeeResponse tee = new TeeResponse(response, maxStoredBytes);
        if (job != null) {
            tee.setHeader(JOB_HEADER, job);
        }
        refuse(refusal, false, request, path, tee);
        keep(tee, scope, key, path);
    }

    /** Lets the request through, copying its answer, and keeps the answer when the request ends. */
    private void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String scope,
                     String key, String path) throws ServletException, IOException {
        request.setAttribute(HELD_ATTRIBUTE, new Held(scope, key));
        TeeResponse tee = new TeeResponse(response, maxStoredBytes);
        boolean through = false;
        try {
            chain.doFilter(request, tee);
            through = true;
        } finally {
            if (!through) {
                release(scope, key);
            }
        }
        if (request.isAsyncStarted()) {
            // a stream (or an answer written later): it ends when the async request completes, on error too
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    keep(tee, scope, key, path);
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    // completion follows
                }

                @Override
                public void onError(AsyncEvent event) {
                    // completion follows
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                    event.getAsyncContext().addListener(this);
                }
            });
        } else {
            keep(tee, scope, key, path);
        }
    }

    private void keep(TeeResponse tee, String scope, String key, String path) {
        try {
            int status = tee.getStatus();
            if (status >= 500) {
                keys.release(scope, key);
                return;
            }
            byte[] body = tee.body();
            String type = tee.getContentType();
            if (body != null && tee.clientGone() && isEventStream(type) && isOpenAi(path)) {
                ByteArrayOutputStream ended = new ByteArrayOutputStream(body.length + INTERRUPTED.length);
                ended.writeBytes(body);
                ended.writeBytes(INTERRUPTED);
                body = ended.size() > maxStoredBytes ? null : ended.toByteArray();
            }
            keys.answer(scope, key, status, type, tee.keptHeaders(), body);
        } catch (DataAccessException | IllegalStateException unkept) {
            // a retry then waits and, past the bound, hears the key was abandoned: never a second job
            logger.warn("answer for an idempotency key not kept: " + unkept);
        }
    }

    private void release(String scope, String key) {
        try {
            keys.release(scope, key);
        } catch (DataAccessException unavailable) {
            logger.warn("idempotency key not released: " + unavailable);
        }
    }

    private void replay(IdempotencyKeys.State state, IdempotencyKeys.Answer answer, HttpServletRequest request,
                        String path, HttpServletResponse response) throws IOException {
        if (state == IdempotencyKeys.State.TOO_LARGE) {
            String job = answer.headers().entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase(JOB_HEADER))
                    .map(Map.Entry::getValue).findFirst().orElse("");
            if (!job.isEmpty()) {
                response.setHeader(JOB_HEADER, job);
            }
            refuse(Refusal.idempotencyAnswerNotKept(job), false, request, path, response);
            return;
        }
        response.setStatus(answer.status());
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
        answer.headers().forEach(response::setHeader);
        response.setHeader(REPLAYED, "true");
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
        response.flushBuffer();
    }

    private void refuse(Refusal refusal, boolean retry, HttpServletRequest request, String path,
                        HttpServletResponse response) throws IOException {
        // OpenAI's clients retry a 409 unless told not to: only one that waiting can cure is worth retrying
        response.setHeader(SHOULD_RETRY, String.valueOf(retry));
        refusal.send(request, path, response, json);
    }

    /** Why the {@code Idempotency-Key} headers given are not one key, if they are not. */
    static Optional<String> invalid(List<String> given) {
        if (given.size() != 1) {
            return Optional.of("send one Idempotency-Key, not " + given.size());
        }
        String key = given.get(0);
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Optional.of("an Idempotency-Key has 1 to " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.of("an Idempotency-Key has printable ASCII characters only");
            }
        }
        return Optional.empty();
    }

    private static @Nullable String scope(HttpServletRequest request) {
        if (request.getAttribute(Principal.ACCOUNT_ATTRIBUTE) instanceof AccountId account) {
            return "account:" + account.value();
        }
        return request.getAttribute(Principal.ATTRIBUTE) == Principal.OPERATOR ? "operator" : null;
    }

    /** The request a key stands for: its method, path with query and body bytes, as a SHA-256. */
    private static String fingerprint(HttpServletRequest request) {
        ReadBody read = WebUtils.getNativeRequest(request, ReadBody.class);
        byte[] body = read == null ? new byte[0] : read.body();
        String query = request.getQueryString();
        String target = request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query)
                + "\n";
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(target.getBytes(StandardCharsets.UTF_8));
            sha256.update(body);
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean isEventStream(@Nullable String type) {
        return type != null && type.startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
    }

    private static boolean isOpenAi(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }
}

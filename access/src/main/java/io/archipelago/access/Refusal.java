package io.archipelago.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Why the access filter answers a request itself, in the caller's dialect: OpenAI's error shape under {@code /v1}
 * (its clients read {@code error.message}, {@code type} and {@code code}), RFC 7807 problem details elsewhere.
 */
record Refusal(HttpStatus status, String type, String code, String message, long retryAfterSeconds) {

    static Refusal unauthenticated(String message) {
        return new Refusal(HttpStatus.UNAUTHORIZED, "invalid_request_error", "invalid_api_key", message, 0);
    }

    static Refusal forbidden(String message) {
        return new Refusal(HttpStatus.FORBIDDEN, "invalid_request_error", "forbidden", message, 0);
    }

    static Refusal notFound(String message) {
        return new Refusal(HttpStatus.NOT_FOUND, "invalid_request_error", "not_found", message, 0);
    }

    static Refusal conflict(String message) {
        return new Refusal(HttpStatus.CONFLICT, "invalid_request_error", "conflict", message, 0);
    }

    static Refusal badRequest(String message) {
        return new Refusal(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_request", message, 0);
    }

    static Refusal tooLarge(long maxBytes) {
        return new Refusal(HttpStatus.PAYLOAD_TOO_LARGE, "invalid_request_error", "request_too_large",
                "the request body is larger than " + maxBytes + " bytes", 0);
    }

    static Refusal tooSlow(Duration readTimeout) {
        return new Refusal(HttpStatus.REQUEST_TIMEOUT, "invalid_request_error", "request_timeout",
                "the request body did not arrive whole within " + readTimeout.toSeconds() + " s", 0);
    }

    static Refusal busyAddress() {
        return new Refusal(HttpStatus.TOO_MANY_REQUESTS, "requests", "too_many_uploads",
                "this client address is sending as many request bodies at once as it may; retry after 1 s", 1);
    }

    static Refusal failedAuthentications(long retryAfterSeconds) {
        return new Refusal(HttpStatus.TOO_MANY_REQUESTS, "requests", "too_many_failed_authentications",
                "too many failed authentications from this client address: retry after " + retryAfterSeconds + " s",
                retryAfterSeconds);
    }

    static Refusal unavailable() {
        return new Refusal(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "unavailable",
                "the exchange cannot check credentials now; try again", 0);
    }

    static Refusal invalidIdempotencyKey(String message) {
        return new Refusal(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_idempotency_key", message, 0);
    }

    /** The key was used before for another request: nothing was done. */
    static Refusal idempotencyKeyReused() {
        return new Refusal(HttpStatus.CONFLICT, "invalid_request_error", "idempotency_key_reused",
                "this Idempotency-Key was used for a different request (method, path or body) in the last 24 hours;"
                        + " use a new key for a new request", 0);
    }

    /** The first request with the key is still running: the same request may be sent again in a moment. */
    static Refusal idempotencyKeyInProgress(long retryAfterSeconds) {
        return new Refusal(HttpStatus.CONFLICT, "invalid_request_error", "idempotency_key_in_progress",
                "the first request with this Idempotency-Key is still running; retry after " + retryAfterSeconds
                        + " s to get its answer", retryAfterSeconds);
    }

    /** The first request with the key never left an answer (its node stopped): it cannot be told what happened. */
    static Refusal idempotencyKeyAbandoned() {
        return new Refusal(HttpStatus.CONFLICT, "invalid_request_error", "idempotency_key_abandoned",
                "the first request with this Idempotency-Key ended without an answer; look its job up or use a new"
                        + " key", 0);
    }

    /** The first request's job completed and was charged, but its node died before the answer was kept. */
    static Refusal idempotencyAnswerLost(String job) {
        return new Refusal(HttpStatus.CONFLICT, "invalid_request_error", "idempotency_answer_lost",
                "the first request with this Idempotency-Key made job " + job + ", whose node stopped before its"
                        + " answer was kept; the job is not run again, so it is not charged twice: look it up at"
                        + " /jobs/" + job, 0);
    }

    /** The first request's answer was larger than what is kept for retries. */
    static Refusal idempotencyAnswerNotKept(String job) {
        return new Refusal(HttpStatus.CONFLICT, "invalid_request_error", "idempotency_answer_not_kept",
                "the first request with this Idempotency-Key was answered, but its answer was too large to keep for"
                        + " retries" + (job.isEmpty() ? "" : "; its job is " + job), 0);
    }

    static Refusal idempotencyUnavailable() {
        return new Refusal(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "unavailable",
                "the exchange cannot check the Idempotency-Key now; try again", 1);
    }

    /** OpenAI's own words for a request over the rate limit. */
    static Refusal rateLimited(long retryAfterSeconds) {
        return new Refusal(HttpStatus.TOO_MANY_REQUESTS, "requests", "rate_limit_exceeded",
                "rate limit reached for this key: retry after " + retryAfterSeconds + " s", retryAfterSeconds);
    }

    void send(HttpServletRequest request, String path, HttpServletResponse response, ObjectMapper json)
            throws IOException {
        response.setStatus(status.value());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (retryAfterSeconds > 0) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
        if (status == HttpStatus.PAYLOAD_TOO_LARGE || status == HttpStatus.REQUEST_TIMEOUT) {
            // the rest of the body is left unread: the connection cannot carry another request
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        Object body;
        if (path.equals("/v1") || path.startsWith("/v1/")) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            body = Map.of("error", new LinkedHashMap<>(Map.of("message", message, "type", type, "code", code)));
        } else {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", status.getReasonPhrase());
            problem.put("status", status.value());
            problem.put("detail", message);
            problem.put("instance", request.getRequestURI());
            body = problem;
        }
        byte[] bytes = json.writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        if (status == HttpStatus.PAYLOAD_TOO_LARGE || status == HttpStatus.REQUEST_TIMEOUT) {
            // on the wire before the server drops the connection with the body's rest unread
            response.flushBuffer();
        }
    }
}

package io.archipelago.coordinator.openai;

import io.archipelago.bridge.InputTooLarge;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A request on {@code /v1} that is answered with an error in OpenAI's shape instead of a completion; one that a retry
 * may cure says after how long ({@code Retry-After}).
 */
final class OpenAiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String type;
    private final String code;
    private final @Nullable Duration retryAfter;

    OpenAiException(HttpStatus status, String type, String code, String message) {
        this(status, type, code, message, null);
    }

    OpenAiException(HttpStatus status, String type, String code, String message, @Nullable Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** The no-Island answer of a bid that expired unplaced: a retry may find an Island online or a slot free. */
    static OpenAiException expired(String reason, Duration ttl) {
        return new OpenAiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "no_eligible_island",
                "no Island took the job before its bid expired after " + ttl.toSeconds() + " s (" + reason
                        + "): the Islands that could take it were offline, busy or outside their schedule",
                Duration.ofSeconds(5));
    }

    @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /** The job's input, as the door built it from the request, is over {@code archipelago.inputs.max-bytes}. */
    static OpenAiException of(InputTooLarge refused) {
        return new OpenAiException(HttpStatus.PAYLOAD_TOO_LARGE, "invalid_request_error", "input_too_large",
                refused.getMessage());
    }

    HttpStatus status() {
        return status;
    }

    /** The machine-readable code of the error, e.g. {@code duplicate_job}. */
    String code() {
        return code;
    }

    OpenAiError body() {
        return OpenAiError.of(getMessage(), type, code);
    }
}

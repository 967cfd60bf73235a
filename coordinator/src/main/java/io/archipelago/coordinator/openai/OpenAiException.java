package io.archipelago.coordinator.openai;

import io.archipelago.bridge.InputTooLarge;
import org.springframework.http.HttpStatus;

/** A request on {@code /v1} that is answered with an error in OpenAI's shape instead of a completion. */
final class OpenAiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String code;

    OpenAiException(HttpStatus status, String type, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    /** The job's input, as the door built it from the request, is over {@code archipelago.inputs.max-bytes}. */
    static OpenAiException of(InputTooLarge refused) {
        return new OpenAiException(HttpStatus.PAYLOAD_TOO_LARGE, "invalid_request_error", "input_too_large",
                refused.getMessage());
    }

    HttpStatus status() {
        return status;
    }

    OpenAiError body() {
        return OpenAiError.of(getMessage(), type, code);
    }
}

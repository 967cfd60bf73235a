package io.archipelago.coordinator.openai;

import io.archipelago.bridge.InputTooLarge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * Errors of the OpenAI-compatible controllers in OpenAI's shape rather than RFC 7807, ahead of the exchange's
 * problem handler: a client such as the official {@code openai} package reads {@code error.message}.
 */
@RestControllerAdvice(assignableTypes = {ChatCompletionsController.class, EmbeddingsController.class,
    ImagesController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
final class OpenAiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiErrors.class);

    @ExceptionHandler(OpenAiException.class)
    ResponseEntity<OpenAiError> openAi(OpenAiException failure) {
        ResponseEntity<OpenAiError> answer = respond(failure.status(), failure.body());
        if (failure.retryAfter() == null) {
            return answer;
        }
        return ResponseEntity.status(failure.status()).contentType(MediaType.APPLICATION_JSON)
                .header("Retry-After", Long.toString(failure.retryAfter().toSeconds())).body(failure.body());
    }

    @ExceptionHandler(InputTooLarge.class)
    ResponseEntity<OpenAiError> inputTooLarge(InputTooLarge failure) {
        return openAi(OpenAiException.of(failure));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<OpenAiError> unreadable(HttpMessageNotReadableException failure) {
        return respond(HttpStatus.BAD_REQUEST,
                OpenAiError.of("the request body is not valid JSON", "invalid_request_error", "invalid_json"));
    }

    /** The client left while its answer was written: nobody is there to read an error, and its job is cancelled. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void gone(AsyncRequestNotUsableException failure) {
        LOG.debug("the client left: {}", failure.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<OpenAiError> unexpected(Exception failure) {
        // never a bare 500: the client gets a retryable error in its own shape, the log keeps the cause
        LOG.warn("OpenAI-compatible request failed", failure);
        return respond(HttpStatus.SERVICE_UNAVAILABLE,
                OpenAiError.of("the exchange could not serve this request now: " + failure.getClass().getSimpleName(),
                        "server_error", "unavailable"));
    }

    static ResponseEntity<OpenAiError> respond(HttpStatus status, OpenAiError body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

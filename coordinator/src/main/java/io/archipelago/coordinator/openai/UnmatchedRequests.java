package io.archipelago.coordinator.openai;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Requests that no route takes: an unknown path is 404 and a known path with another method 405, in OpenAI's error
 * shape under {@code /v1/} (as OpenAI answers them, {@code Invalid URL (METHOD path)}) and as RFC 7807 problems
 * elsewhere, instead of the framework's own error page.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
final class UnmatchedRequests {

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<?> unknownPath(NoResourceFoundException unknown, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, "unknown_url", "no such resource");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<?> otherMethod(HttpRequestMethodNotSupportedException unsupported, HttpServletRequest request) {
        return answer(request, HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                "this resource takes " + unsupported.getSupportedHttpMethods());
    }

    private static ResponseEntity<?> answer(HttpServletRequest request, HttpStatus status, String code, String detail) {
        String what = request.getMethod() + " " + request.getRequestURI();
        if (request.getRequestURI().startsWith("/v1/")) {
            return OpenAiErrors.respond(status, OpenAiError.of("Invalid URL (" + what + "): " + detail,
                    "invalid_request_error", code));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, what + ": " + detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

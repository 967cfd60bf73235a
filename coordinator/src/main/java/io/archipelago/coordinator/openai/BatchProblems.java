package io.archipelago.coordinator.openai;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the batch endpoints as RFC 7807 problems; never a bare 500. */
@RestControllerAdvice(assignableTypes = BatchController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
final class BatchProblems {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProblems.class);

    @ExceptionHandler(BatchProblem.class)
    ResponseEntity<ProblemDetail> batch(BatchProblem problem) {
        return respond(problem.body());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException failure) {
        return respond(new BatchProblem(HttpStatus.BAD_REQUEST, "invalid_json", "the request body is not valid JSON")
                .body());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception failure) {
        LOG.warn("batch request failed", failure);
        return respond(new BatchProblem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                "the exchange could not serve this request now: " + failure.getClass().getSimpleName()).body());
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}

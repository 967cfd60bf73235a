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
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the workflow endpoints as RFC 7807 problems; never a bare 500. */
@RestControllerAdvice(assignableTypes = WorkflowController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
final class WorkflowProblems {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowProblems.class);

    @ExceptionHandler(WorkflowProblem.class)
    ResponseEntity<ProblemDetail> workflow(WorkflowProblem problem) {
        return respond(problem.body());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException failure) {
        return respond(WorkflowProblem.invalid("invalid_json", "the request body is not valid JSON").body());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception failure) {
        if (failure instanceof ErrorResponse refused && refused.getStatusCode().is4xxClientError()) {
            return respond(new WorkflowProblem(HttpStatus.valueOf(refused.getStatusCode().value()), "invalid_request",
                    failure.getMessage()).body());
        }
        LOG.warn("workflow request failed", failure);
        return respond(new WorkflowProblem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                "the exchange could not serve this request now: " + failure.getClass().getSimpleName()).body());
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}

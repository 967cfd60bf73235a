package io.archipelago.query.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * RFC 7807 problems for the query endpoints: 404 for what is not known, Spring MVC's own problems for malformed
 * requests, and 500 with a generic detail (logged here, never sent) for anything else.
 */
@RestControllerAdvice(basePackages = "io.archipelago.query")
public final class QueryProblems extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(QueryProblems.class);

    @ExceptionHandler(NotFound.class)
    ProblemDetail notFound(NotFound failure) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, failure.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception failure) {
        LOG.error("query failed unexpectedly", failure);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the exchange could not answer this query");
    }
}

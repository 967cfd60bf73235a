package io.archipelago.query.history;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A parameter out of its range (a time range backwards, an unknown resolution) is a 400 problem, not a 500. */
@RestControllerAdvice(basePackages = {"io.archipelago.query.history", "io.archipelago.query.admin"})
@Order(Ordered.HIGHEST_PRECEDENCE)
final class BadQuery {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badQuery(IllegalArgumentException failure) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, failure.getMessage());
    }
}

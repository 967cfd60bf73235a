package io.archipelago.payments;

import com.stripe.exception.StripeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every failure of a payments endpoint as an RFC 7807 problem: payments off 503, a delivery that is not
 * provably Stripe's or bad input 400, an unknown account or Island 404, a conflict 409, Stripe refusing or not
 * answering 502, anything else 500 with a generic detail (logged here, never sent).
 */
@RestControllerAdvice(assignableTypes = {WebhookController.class, CheckoutController.class,
        IdentityController.class, PayoutDestinationController.class, ReconciliationController.class})
final class PaymentsProblems extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentsProblems.class);

    /** Payments off is how this exchange is set up: no retry changes it, so the routes are not here (404). */
    @ExceptionHandler(PaymentsNotConfigured.class)
    ProblemDetail off(PaymentsNotConfigured failure) {
        return problem(HttpStatus.NOT_FOUND, failure.getMessage());
    }

    @ExceptionHandler(WebhookRejected.class)
    ProblemDetail rejected(WebhookRejected failure) {
        return problem(HttpStatus.BAD_REQUEST, failure.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException failure) {
        return problem(HttpStatus.BAD_REQUEST, failure.getMessage());
    }

    @ExceptionHandler(UnknownTarget.class)
    ProblemDetail unknown(UnknownTarget failure) {
        return problem(HttpStatus.NOT_FOUND, failure.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException failure) {
        return problem(HttpStatus.CONFLICT, failure.getMessage());
    }

    @ExceptionHandler(StripeException.class)
    ProblemDetail stripe(StripeException failure) {
        LOG.warn("Stripe refused or did not answer: {}", failure.getMessage());
        return problem(HttpStatus.BAD_GATEWAY, "the payment provider refused or did not answer"
                + (failure.getCode() == null ? "" : " (" + failure.getCode() + ")"));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception failure) {
        LOG.error("payments request failed", failure);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "the exchange could not handle this request");
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        return ProblemDetail.forStatusAndDetail(status, detail == null ? status.getReasonPhrase() : detail);
    }
}

package io.archipelago.coordinator.openai;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** A batch request answered with an RFC 7807 problem: its status, a machine-readable {@code code} and the detail. */
final class BatchProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String code;

    BatchProblem(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    ProblemDetail body() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setProperty("code", code);
        return problem;
    }
}

package io.archipelago.coordinator.openai;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** A workflow request answered with an RFC 7807 problem: its status, a machine-readable {@code code}, the detail. */
final class WorkflowProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String code;

    WorkflowProblem(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    static WorkflowProblem invalid(String code, String detail) {
        return new WorkflowProblem(HttpStatus.BAD_REQUEST, code, detail);
    }

    ProblemDetail body() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setProperty("code", code);
        return problem;
    }
}

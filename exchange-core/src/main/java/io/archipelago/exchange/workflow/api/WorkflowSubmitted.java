package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workflow submitted and found a DAG: its steps in declaration order, its parameters, its fail mode and the most
 * attempts a step is given. The workflow holds no money itself: each attempt of a step is a bid with its own escrow
 * and settlement, and the door checked at submission that the account could cover every step's worst case.
 */
public record WorkflowSubmitted(WorkflowId workflowId, AccountId account, List<StepSpec> steps,
                                Map<String, String> parameters, FailMode failMode, int maxAttempts, Instant at) {
}

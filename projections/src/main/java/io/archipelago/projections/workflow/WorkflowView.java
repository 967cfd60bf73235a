package io.archipelago.projections.workflow;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A workflow as its events left it: {@code status} is {@code running} until it ended, then {@code completed},
 * {@code completed_with_failures}, {@code failed} or {@code cancelled}; {@code costMicroCredits} sums what its
 * steps' jobs settled; steps in declaration order.
 */
public record WorkflowView(String id, String account, String status, String failMode, int total, int completed,
                           int failed, int cancelled, long costMicroCredits, Instant createdAt,
                           @Nullable Instant finishedAt, List<WorkflowStepView> steps) {
}

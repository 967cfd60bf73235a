package io.archipelago.projections.workflow;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One step of a workflow: {@code status} is {@code waiting}, {@code queued}, {@code placing}, {@code running},
 * {@code completed}, {@code failed} or {@code cancelled}; its current (or last) attempt's job and Island, how many
 * attempts it was given, the units its completed job used, the cost its jobs settled, the Islands that failed or lost
 * it, why it failed or was cancelled, and its output.
 */
public record WorkflowStepView(int index, String key, String model, List<String> dependsOn, String status,
                               @Nullable String jobId, @Nullable String islandId, int attempts, @Nullable Long units,
                               long costMicroCredits, List<String> failedOn, @Nullable String reason,
                               @Nullable String output) {
}

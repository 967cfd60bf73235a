package io.archipelago.projections.batch;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One item of a batch: {@code status} is {@code queued}, {@code placing}, {@code running}, {@code completed} or
 * {@code failed}; its current (or last) attempt's job and Island, how many attempts it was given, the units and cost
 * its completed job settled, the Islands that failed or lost it, why it failed (or why its result is missing) and
 * its output.
 */
public record BatchItemView(int index, String status, @Nullable String jobId, @Nullable String islandId, int attempts,
                            @Nullable Long units, @Nullable Long costMicroCredits, List<String> failedOn,
                            @Nullable String reason, @Nullable String result) {
}

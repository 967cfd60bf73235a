package io.archipelago.projections.batch;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A batch as its events left it: {@code status} is {@code running} until it ended, then {@code completed},
 * {@code completed_with_failures} or {@code failed}; {@code costMicroCredits} sums its completed items' settled
 * costs; items in input order.
 */
public record BatchView(String id, String account, String model, String status, int total, int completed,
                        int failed, long costMicroCredits, Instant createdAt, @Nullable Instant finishedAt,
                        List<BatchItemView> items) {
}

package io.archipelago.projections.payout;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A payout of {@code amountMicroCredits} of an account's earnings: {@code REQUESTED} (in flight), {@code PAID},
 * {@code FAILED} (it never left, back in earnings) or {@code REVERSED} (paid, then came back), with the reason of
 * a failure.
 */
public record PayoutView(String accountId, String payoutId, long amountMicroCredits, String status,
                         @Nullable String reason, Instant requestedAt, @Nullable Instant paidAt,
                         @Nullable Instant failedAt) {
}

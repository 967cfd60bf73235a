package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A job's whole escrow went back because the job failed or its bid expired: to available, or to the hold
 * {@code toHold} that funded the job while that hold is still open (so that a retry of the step draws on it again).
 */
public record CreditsReleased(AccountId accountId, JobId jobId, MicroCredits amount, String reason, Instant at,
                              @Nullable String toHold) {

    /** A release to available. */
    public CreditsReleased(AccountId accountId, JobId jobId, MicroCredits amount, String reason, Instant at) {
        this(accountId, jobId, amount, reason, at, null);
    }
}

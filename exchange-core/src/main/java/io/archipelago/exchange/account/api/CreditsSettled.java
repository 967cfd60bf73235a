package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A job's escrow settled: {@code charged} left the account for the host, publisher and platform; {@code released} went
 * back to available, or to the hold {@code toHold} that funded the job while that hold is still open.
 */
public record CreditsSettled(AccountId accountId, JobId jobId, MicroCredits charged, MicroCredits released,
                             Instant at, @Nullable String toHold) {

    /** A settlement whose remainder goes back to available. */
    public CreditsSettled(AccountId accountId, JobId jobId, MicroCredits charged, MicroCredits released, Instant at) {
        this(accountId, jobId, charged, released, at, null);
    }
}

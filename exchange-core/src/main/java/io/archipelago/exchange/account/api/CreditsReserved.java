package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * {@code amount} put in escrow for a job: its worst-case cost. Of it, {@code fromHold} came from the account's hold
 * {@code hold} (the credits a multi-step work reserved at its submission) and the rest from available; without a
 * hold ({@code hold} null, as in every event before holds existed) all of it came from available.
 */
public record CreditsReserved(AccountId accountId, JobId jobId, MicroCredits amount, Instant at,
                              @Nullable String hold, @Nullable MicroCredits fromHold) {

    /** A reservation from available alone. */
    public CreditsReserved(AccountId accountId, JobId jobId, MicroCredits amount, Instant at) {
        this(accountId, jobId, amount, at, null, null);
    }

    /** What left available for this reservation. */
    public MicroCredits fromAvailable() {
        return fromHold == null ? amount : amount.minus(fromHold);
    }
}

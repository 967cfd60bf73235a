package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Accounts as markets see them: escrow and earnings, inside the same unit of work as the market's own change. */
public interface Accounts {

    /** The country the account holder lives in; empty when the account is not open or has none. */
    Optional<Country> homeOf(AccountId accountId);

    /**
     * The bid preferences the consumer holds now ({@link BidPreferences#NONE} when it set none), read from the account
     * itself so that a bid is bound by the latest ones; empty when the account is not open or only earns.
     */
    Optional<BidPreferences> preferencesOf(AccountId accountId);

    /** The credits the account may spend now; empty when the account is not open or only earns. */
    Optional<MicroCredits> availableOf(AccountId accountId);

    /** What is left of the account's open hold {@code hold}; zero when it holds no such hold. */
    MicroCredits heldOf(AccountId accountId, String hold);

    /**
     * Moves {@code amount} from the account's available credits to escrow for {@code jobId}, if it has them.
     *
     * @throws IllegalStateException when the account already holds escrow for {@code jobId} (the id is in use on
     *                               another market)
     */
    default Reservation reserve(AccountId accountId, JobId jobId, MicroCredits amount, Instant at) {
        return reserve(accountId, jobId, amount, at, null);
    }

    /**
     * As {@link #reserve(AccountId, JobId, MicroCredits, Instant)}, drawing first on the account's hold {@code hold}
     * (null: none) and on available for what the hold no longer covers; what the job does not spend goes back to
     * the hold while it is open.
     */
    Reservation reserve(AccountId accountId, JobId jobId, MicroCredits amount, Instant at, @Nullable String hold);

    /**
     * Moves {@code amount} from the account's available credits to the hold {@code hold} for a multi-step work, if it
     * has them; a hold already held is left as it is ({@link Reservation#RESERVED}).
     */
    Reservation hold(AccountId accountId, String hold, MicroCredits amount, Instant at);

    /** Returns what is left of the account's hold {@code hold} to available, if it is open. */
    void releaseHold(AccountId accountId, String hold, String reason, Instant at);

    /** Settles a job's escrow: {@code charged} leaves the account, the remainder becomes available again. */
    void settle(AccountId accountId, JobId jobId, MicroCredits charged, Instant at);

    /** Returns a job's whole escrow to available. */
    void release(AccountId accountId, JobId jobId, String reason, Instant at);

    /** Credits earnings from a job, opening an earning-only account on first use. */
    void credit(AccountId accountId, JobId jobId, EarningsKind kind, MicroCredits amount, Instant at);
}

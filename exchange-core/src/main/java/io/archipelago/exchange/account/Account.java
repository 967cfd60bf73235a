package io.archipelago.exchange.account;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.BidPreferencesSet;
import io.archipelago.exchange.account.api.CacheHitRecorded;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.account.api.HoldReleased;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.account.api.RecordCacheHit;
import io.archipelago.exchange.account.api.RecordPayoutFailed;
import io.archipelago.exchange.account.api.RecordPayoutPaid;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.account.api.Reservation;
import io.archipelago.exchange.account.api.SetBidPreferences;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * One holder's money: credits available to spend, escrow held per job, earnings from jobs, and payouts in flight.
 * No balance ever goes negative; every movement is an event.
 */
public class Account {

    @AggregateIdentifier
    private AccountId accountId;
    private @Nullable Country country;
    private MicroCredits available;
    private Map<JobId, MicroCredits> escrow;
    /** Open holds: what is left of each, by hold id. */
    private Map<String, MicroCredits> holds;
    /** The hold each job's escrow came from, for jobs funded by one. */
    private Map<JobId, String> fundedBy;
    private MicroCredits earnings;
    private MicroCredits payoutsInFlight;
    private Set<String> deposits;
    private Map<String, Payout> payouts;
    private BidPreferences preferences;

    protected Account() {
        // for Axon
    }

    @CommandHandler
    public Account(OpenAccount command) {
        apply(new AccountOpened(command.accountId(), command.country(), command.at()));
    }

    /** Opens an account that only earns: a Cargo publisher's or the platform's, on its first earnings. */
    static Account openForEarnings(AccountId accountId, Instant at) {
        Account account = new Account();
        apply(new AccountOpened(accountId, null, at));
        return account;
    }

    @CommandHandler
    void handle(DepositCredits command) {
        if (command.amount().isZero()) {
            throw new IllegalArgumentException("a deposit is a positive amount");
        }
        if (command.depositId() == null || command.depositId().isBlank() || command.depositId().length() > 128) {
            throw new IllegalArgumentException("a deposit has an id of 1-128 characters");
        }
        if (!deposits.contains(command.depositId())) {
            MoneyCaps.deposit(command.amount(), available.plus(inEscrow()));
            apply(new CreditsDeposited(accountId, command.depositId(), command.amount(), command.at()));
        }
    }

    @CommandHandler
    void handle(SetBidPreferences command) {
        if (command.preferences() == null || command.at() == null) {
            throw new IllegalArgumentException("bid preferences name every term, null where none is preferred");
        }
        if (country == null) {
            throw new IllegalStateException("account " + accountId + " only earns: it submits no bids to prefer terms"
                    + " for");
        }
        if (!preferences.equals(command.preferences())) {
            apply(new BidPreferencesSet(accountId, command.preferences(), command.at()));
        }
    }

    /** A cached answer served to the consumer: recorded for usage and audit, with no money moving. */
    @CommandHandler
    void handle(RecordCacheHit command) {
        if (command.requestId() == null || command.requestId().isBlank() || command.requestId().length() > 128) {
            throw new IllegalArgumentException("a cache hit names its request by an id of 1-128 characters");
        }
        if (command.sourceJob() == null || command.cargo() == null || command.tier() == null
                || command.saved() == null || command.at() == null) {
            throw new IllegalArgumentException("a cache hit names its source job, Cargo type, tier, saving and time");
        }
        if (country == null) {
            throw new IllegalStateException("account " + accountId + " only earns: it submits no requests to answer");
        }
        apply(new CacheHitRecorded(accountId, command.requestId(), command.sourceJob(), command.cargo(),
                command.tier(), command.saved(), command.at()));
    }

    @CommandHandler
    void handle(RequestPayout command) {
        if (command.amount().isZero()) {
            throw new IllegalArgumentException("a payout is a positive amount");
        }
        if (command.payoutId() == null || command.payoutId().isBlank() || command.payoutId().length() > 128) {
            throw new IllegalArgumentException("a payout has an id of 1-128 characters");
        }
        if (payouts.containsKey(command.payoutId())) {
            return;
        }
        if (!earnings.isAtLeast(command.amount())) {
            throw new IllegalStateException("a payout of " + command.amount().value() + " exceeds the earnings of "
                    + earnings.value() + " micro-credits");
        }
        apply(new PayoutRequested(accountId, command.payoutId(), command.amount(), command.at()));
    }

    @CommandHandler
    void handle(RecordPayoutPaid command) {
        Payout payout = payout(command.payoutId());
        // Paid twice is a repeat; paid after failed means the money went out and came back: the failure already
        // returned it to earnings, so the net is right as it stands.
        if (payout.stage() == Stage.REQUESTED) {
            apply(new PayoutPaid(accountId, command.payoutId(), payout.amount(), command.at()));
        }
    }

    @CommandHandler
    void handle(RecordPayoutFailed command) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a failed payout says why");
        }
        Payout payout = payout(command.payoutId());
        if (payout.stage() != Stage.FAILED) {
            apply(new PayoutFailed(accountId, command.payoutId(), payout.amount(), payout.stage() == Stage.PAID,
                    command.reason(), command.at()));
        }
    }

    private Payout payout(String payoutId) {
        @Nullable Payout payout = payoutId == null ? null : payouts.get(payoutId);
        if (payout == null) {
            throw new IllegalStateException("account " + accountId + " requested no payout " + payoutId);
        }
        return payout;
    }

    /** Returns what is left of the hold {@code hold} to available; a hold not open is left alone. */
    void releaseHold(String hold, String reason, Instant at) {
        @Nullable MicroCredits left = holds.get(hold);
        if (left != null) {
            apply(new HoldReleased(accountId, hold, left, reason, at));
        }
    }

    /**
     * Moves {@code amount} from available to a hold for a multi-step work, if the account has it; holding the same
     * hold again is a no-op that answers {@link Reservation#RESERVED}.
     */
    Reservation hold(String hold, MicroCredits amount, Instant at) {
        if (hold == null || hold.isBlank() || hold.length() > 160) {
            throw new IllegalArgumentException("a hold has an id of 1-160 characters");
        }
        if (country == null) {
            return Reservation.UNKNOWN_ACCOUNT;
        }
        if (holds.containsKey(hold)) {
            return Reservation.RESERVED;
        }
        if (!available.isAtLeast(amount)) {
            return Reservation.INSUFFICIENT_CREDITS;
        }
        apply(new CreditsHeld(accountId, hold, amount, at));
        return Reservation.RESERVED;
    }

    /** The bid terms the holder set for its jobs; {@link BidPreferences#NONE} until it set any. */
    public BidPreferences preferences() {
        return preferences;
    }

    /** The preferences that bind the holder's bids; empty for an account that only earns and cannot bid. */
    Optional<BidPreferences> bidding() {
        return country == null ? Optional.empty() : Optional.of(preferences);
    }

    /** What a consumer may spend on bids now; empty for an account that only earns and cannot bid. */
    Optional<MicroCredits> spendable() {
        return country == null ? Optional.empty() : Optional.of(available);
    }

    Optional<Country> home() {
        return Optional.ofNullable(country);
    }

    Reservation reserve(JobId jobId, MicroCredits amount, Instant at) {
        return reserve(jobId, amount, at, null);
    }

    Reservation reserve(JobId jobId, MicroCredits amount, Instant at, @Nullable String hold) {
        if (country == null) {
            return Reservation.UNKNOWN_ACCOUNT;
        }
        // Escrow is held per job id: a second reservation would replace the first and strand its credits.
        if (escrow.containsKey(jobId)) {
            throw new IllegalStateException("account " + accountId + " already holds escrow for job " + jobId);
        }
        // A job of a held work draws on its hold first; what the hold no longer covers comes from available.
        @Nullable MicroCredits inHold = hold == null ? null : holds.get(hold);
        MicroCredits fromHold = inHold == null ? MicroCredits.ZERO : inHold.isAtLeast(amount) ? amount : inHold;
        if (!available.isAtLeast(amount.minus(fromHold))) {
            return Reservation.INSUFFICIENT_CREDITS;
        }
        apply(inHold == null ? new CreditsReserved(accountId, jobId, amount, at)
                : new CreditsReserved(accountId, jobId, amount, at, hold, fromHold));
        return Reservation.RESERVED;
    }

    void settle(JobId jobId, MicroCredits charged, Instant at) {
        MicroCredits held = heldFor(jobId);
        apply(new CreditsSettled(accountId, jobId, charged, held.minus(charged), at, openHoldOf(jobId)));
    }

    void release(JobId jobId, String reason, Instant at) {
        apply(new CreditsReleased(accountId, jobId, heldFor(jobId), reason, at, openHoldOf(jobId)));
    }

    /** The hold a job's escrow came from while that hold is open: where what the job does not spend goes back. */
    private @Nullable String openHoldOf(JobId jobId) {
        @Nullable String hold = fundedBy.get(jobId);
        return hold != null && holds.containsKey(hold) ? hold : null;
    }

    void credit(JobId jobId, EarningsKind kind, MicroCredits amount, Instant at) {
        apply(new EarningsCredited(accountId, jobId, kind, amount, at));
    }

    private MicroCredits heldFor(JobId jobId) {
        MicroCredits held = escrow.get(jobId);
        if (held == null) {
            throw new IllegalStateException("account " + accountId + " holds no escrow for job " + jobId);
        }
        return held;
    }

    @EventSourcingHandler
    void on(AccountOpened event) {
        accountId = event.accountId();
        country = event.country();
        available = MicroCredits.ZERO;
        escrow = new HashMap<>();
        holds = new HashMap<>();
        fundedBy = new HashMap<>();
        earnings = MicroCredits.ZERO;
        payoutsInFlight = MicroCredits.ZERO;
        deposits = new HashSet<>();
        payouts = new HashMap<>();
        preferences = BidPreferences.NONE;
    }

    @EventSourcingHandler
    void on(BidPreferencesSet event) {
        preferences = event.preferences();
    }

    @EventSourcingHandler
    void on(CreditsDeposited event) {
        deposits.add(event.depositId());
        available = available.plus(event.amount());
    }

    @EventSourcingHandler
    void on(CreditsHeld event) {
        available = available.minus(event.amount());
        holds.put(event.hold(), event.amount());
    }

    @EventSourcingHandler
    void on(HoldReleased event) {
        holds.remove(event.hold());
        available = available.plus(event.amount());
    }

    @EventSourcingHandler
    void on(CreditsReserved event) {
        available = available.minus(event.fromAvailable());
        if (event.hold() != null && event.fromHold() != null) {
            holds.computeIfPresent(event.hold(), (hold, left) -> left.minus(event.fromHold()));
            fundedBy.put(event.jobId(), event.hold());
        }
        escrow.put(event.jobId(), event.amount());
    }

    @EventSourcingHandler
    void on(CreditsSettled event) {
        escrow.remove(event.jobId());
        fundedBy.remove(event.jobId());
        giveBack(event.toHold(), event.released());
    }

    @EventSourcingHandler
    void on(CreditsReleased event) {
        escrow.remove(event.jobId());
        fundedBy.remove(event.jobId());
        giveBack(event.toHold(), event.amount());
    }

    private void giveBack(@Nullable String hold, MicroCredits amount) {
        if (hold != null && holds.containsKey(hold)) {
            holds.computeIfPresent(hold, (id, left) -> left.plus(amount));
        } else {
            available = available.plus(amount);
        }
    }

    @EventSourcingHandler
    void on(EarningsCredited event) {
        earnings = earnings.plus(event.amount());
    }

    @EventSourcingHandler
    void on(PayoutRequested event) {
        payouts.put(event.payoutId(), new Payout(event.amount(), Stage.REQUESTED));
        earnings = earnings.minus(event.amount());
        payoutsInFlight = payoutsInFlight.plus(event.amount());
    }

    @EventSourcingHandler
    void on(PayoutPaid event) {
        payouts.put(event.payoutId(), new Payout(event.amount(), Stage.PAID));
        payoutsInFlight = payoutsInFlight.minus(event.amount());
    }

    @EventSourcingHandler
    void on(PayoutFailed event) {
        payouts.put(event.payoutId(), new Payout(event.amount(), Stage.FAILED));
        if (!event.reversed()) {
            payoutsInFlight = payoutsInFlight.minus(event.amount());
        }
        earnings = earnings.plus(event.amount());
    }

    public MicroCredits available() {
        return available;
    }

    /** Escrow of every job and every open hold: what the account reserved and has not spent. */
    public MicroCredits inEscrow() {
        MicroCredits jobs = escrow.values().stream().reduce(MicroCredits.ZERO, MicroCredits::plus);
        return holds.values().stream().reduce(jobs, MicroCredits::plus);
    }

    /** What is left of an open hold; empty when there is no such hold open. */
    public Optional<MicroCredits> held(String hold) {
        return Optional.ofNullable(holds.get(hold));
    }

    public MicroCredits earnings() {
        return earnings;
    }

    public MicroCredits payoutsInFlight() {
        return payoutsInFlight;
    }

    public String stateHash() {
        return accountId + "|" + country + "|" + available.value() + "|" + new TreeMap<>(escrow) + "|"
                + new TreeMap<>(holds) + "|" + new TreeMap<>(fundedBy) + "|"
                + earnings.value() + "|" + payoutsInFlight.value() + "|" + deposits.size() + "|"
                + new TreeMap<>(payouts) + "|" + digest(preferences);
    }

    /** The preferences with the jurisdiction's countries in code order, so equal states hash alike in any JVM. */
    private static String digest(BidPreferences p) {
        return p.limit() + "," + p.maxUnits() + ","
                + (p.jurisdiction() == null ? null : p.jurisdiction().name() + p.jurisdiction().sortedCountries())
                + "," + p.minKarma() + "," + p.maxRttMicros() + "," + p.verifiedOnly();
    }

    /** Where a requested payout stands: requested (in flight), paid out of the exchange, or failed back to earnings. */
    private enum Stage {
        REQUESTED, PAID, FAILED
    }

    /** A payout as the account remembers it, so paying or failing it moves exactly its amount, once. */
    private record Payout(MicroCredits amount, Stage stage) {
    }
}

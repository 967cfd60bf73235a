package io.archipelago.exchange.ledger;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.HoldReleased;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.ledger.Posting.Entry;
import io.archipelago.exchange.money.MicroCredits;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The double-entry ledger, rebuilt from events alone: every money event becomes postings between entries, and no
 * entry but the world may go negative. Money is created only by deposits and leaves only by payouts, so the sum of
 * all balances equals deposits minus payouts after every event. A paid payout that comes back (a reversed transfer)
 * is booked from the world and counts against payouts, not as a deposit. An auditor's replay and the property tests
 * both drive this class.
 *
 * <p>The totals (deposits, payouts, the sum of all balances) are exact however large they grow: the store is
 * append-only, and a deposit recorded before deposits were capped may be as large as a {@code long}. One entry's
 * balance is a {@code long}, as it is in its account; an event that would take it beyond is booked as a problem.
 */
public final class Ledger {

    private final Map<Entry, Long> balances = new HashMap<>();
    private BigInteger deposits = BigInteger.ZERO;
    private BigInteger payouts = BigInteger.ZERO;
    private long events;

    /** The postings an event makes; empty for events that move no money. */
    public static List<Posting> postingsOf(Object event) {
        if (event instanceof CreditsDeposited e) {
            return List.of(new Posting(Entry.WORLD, entry(e.accountId(), Bucket.AVAILABLE), e.amount()));
        }
        // A hold is escrow too: credits held for a multi-step work, then moved within escrow to its jobs and back.
        if (event instanceof CreditsHeld e) {
            return List.of(new Posting(entry(e.accountId(), Bucket.AVAILABLE), entry(e.accountId(), Bucket.ESCROW),
                    e.amount()));
        }
        if (event instanceof HoldReleased e) {
            return List.of(new Posting(entry(e.accountId(), Bucket.ESCROW), entry(e.accountId(), Bucket.AVAILABLE),
                    e.amount()));
        }
        if (event instanceof CreditsReserved e) {
            return List.of(new Posting(entry(e.accountId(), Bucket.AVAILABLE), entry(e.accountId(), Bucket.ESCROW),
                    e.fromAvailable()));
        }
        if (event instanceof CreditsSettled e) {
            Entry rest = e.toHold() == null ? entry(e.accountId(), Bucket.AVAILABLE)
                    : entry(e.accountId(), Bucket.ESCROW);
            return List.of(new Posting(entry(e.accountId(), Bucket.ESCROW), Entry.CLEARING, e.charged()),
                    new Posting(entry(e.accountId(), Bucket.ESCROW), rest, e.released()));
        }
        if (event instanceof CreditsReleased e) {
            Entry to = e.toHold() == null ? entry(e.accountId(), Bucket.AVAILABLE)
                    : entry(e.accountId(), Bucket.ESCROW);
            return List.of(new Posting(entry(e.accountId(), Bucket.ESCROW), to, e.amount()));
        }
        if (event instanceof EarningsCredited e) {
            return List.of(new Posting(Entry.CLEARING, entry(e.accountId(), Bucket.EARNINGS), e.amount()));
        }
        if (event instanceof PayoutRequested e) {
            return List.of(new Posting(entry(e.accountId(), Bucket.EARNINGS),
                    entry(e.accountId(), Bucket.PAYOUTS_IN_FLIGHT), e.amount()));
        }
        if (event instanceof PayoutPaid e) {
            return List.of(new Posting(entry(e.accountId(), Bucket.PAYOUTS_IN_FLIGHT), Entry.WORLD, e.amount()));
        }
        if (event instanceof PayoutFailed e) {
            Entry from = e.reversed() ? Entry.WORLD : entry(e.accountId(), Bucket.PAYOUTS_IN_FLIGHT);
            return List.of(new Posting(from, entry(e.accountId(), Bucket.EARNINGS), e.amount()));
        }
        return List.of();
    }

    private static Entry entry(AccountId account, Bucket bucket) {
        return new Entry(account.value(), bucket);
    }

    /**
     * Books an event's postings.
     *
     * @throws IllegalStateException when a posting would take an entry below zero (the ledger does not balance) or
     *     above the largest amount one balance holds
     */
    public void record(Object event) {
        events++;
        boolean returnedPayout = event instanceof PayoutFailed failed && failed.reversed();
        for (Posting posting : postingsOf(event)) {
            long amount = posting.amount().value();
            if (posting.from().equals(Entry.WORLD)) {
                if (returnedPayout) {
                    payouts = payouts.subtract(BigInteger.valueOf(amount));
                } else {
                    deposits = deposits.add(BigInteger.valueOf(amount));
                }
            } else {
                long left = balance(posting.from()) - amount;
                if (left < 0) {
                    throw new IllegalStateException("event " + events + " (" + event.getClass().getSimpleName()
                            + ") takes " + posting.from() + " below zero: " + left);
                }
                balances.put(posting.from(), left);
            }
            if (posting.to().equals(Entry.WORLD)) {
                payouts = payouts.add(BigInteger.valueOf(amount));
            } else {
                long held = balance(posting.to());
                if (held > Long.MAX_VALUE - amount) {
                    throw new IllegalStateException("event " + events + " (" + event.getClass().getSimpleName()
                            + ") takes " + posting.to() + " above " + Long.MAX_VALUE + ": it holds " + held
                            + " and receives " + amount);
                }
                balances.put(posting.to(), held + amount);
            }
        }
    }

    public long balance(Entry entry) {
        return balances.getOrDefault(entry, 0L);
    }

    public MicroCredits balance(AccountId account, Bucket bucket) {
        return MicroCredits.of(balance(entry(account, bucket)));
    }

    /** The sum of all balances, exact. */
    public BigInteger total() {
        return balances.values().stream().map(BigInteger::valueOf).reduce(BigInteger.ZERO, BigInteger::add);
    }

    /** Every deposit ever booked, exact. */
    public BigInteger deposits() {
        return deposits;
    }

    /** What left the exchange by paid payouts, less paid payouts that came back, exact. */
    public BigInteger payouts() {
        return payouts;
    }

    /** Whether the sum of all balances equals deposits minus payouts. */
    public boolean isConserved() {
        return total().equals(deposits.subtract(payouts));
    }

    /** Whether no settled charge is waiting between a consumer's debit and the earnings it pays. */
    public boolean isCleared() {
        return balance(Entry.CLEARING) == 0;
    }

    /** Every non-zero balance, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> view = new TreeMap<>();
        balances.forEach((entry, amount) -> {
            if (amount != 0) {
                view.put(entry.account() + "/" + entry.bucket(), amount);
            }
        });
        return view;
    }
}

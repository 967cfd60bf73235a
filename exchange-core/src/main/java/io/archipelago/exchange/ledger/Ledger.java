package io.archipelago.exchange.ledger;

import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.ledger.Posting.Entry;
import io.archipelago.exchange.money.MicroCredits;
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
 */
public final class Ledger {

    private final Map<Entry, Long> balances = new HashMap<>();
    private long deposits;
    private long payouts;
    private long events;

    /** The postings an event makes; empty for events that move no money. */
    public static List<Posting> postingsOf(Object event) {
        if (event instanceof CreditsDeposited e) {
            return List.of(new Posting(Entry.WORLD, entry(e.accountId(), Bucket.AVAILABLE), e.amount()));
        }
        if (event instanceof CreditsReserved e) {
            return List.of(new Posting(entry(e.accountId(), Bucket.AVAILABLE), entry(e.accountId(), Bucket.ESCROW),
                    e.amount()));
        }
        if (event instanceof CreditsSettled e) {
            return List.of(new Posting(entry(e.accountId(), Bucket.ESCROW), Entry.CLEARING, e.charged()),
                    new Posting(entry(e.accountId(), Bucket.ESCROW), entry(e.accountId(), Bucket.AVAILABLE),
                            e.released()));
        }
        if (event instanceof CreditsReleased e) {
            return List.of(new Posting(entry(e.accountId(), Bucket.ESCROW), entry(e.accountId(), Bucket.AVAILABLE),
                    e.amount()));
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
     * @throws IllegalStateException when a posting would take an entry below zero: the ledger does not balance
     */
    public void record(Object event) {
        events++;
        boolean returnedPayout = event instanceof PayoutFailed failed && failed.reversed();
        for (Posting posting : postingsOf(event)) {
            long amount = posting.amount().value();
            if (posting.from().equals(Entry.WORLD)) {
                if (returnedPayout) {
                    payouts = Math.subtractExact(payouts, amount);
                } else {
                    deposits = Math.addExact(deposits, amount);
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
                payouts = Math.addExact(payouts, amount);
            } else {
                balances.merge(posting.to(), amount, Math::addExact);
            }
        }
    }

    public long balance(Entry entry) {
        return balances.getOrDefault(entry, 0L);
    }

    public MicroCredits balance(AccountId account, Bucket bucket) {
        return MicroCredits.of(balance(entry(account, bucket)));
    }

    public long total() {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }

    public long deposits() {
        return deposits;
    }

    /** What left the exchange by paid payouts, less paid payouts that came back. */
    public long payouts() {
        return payouts;
    }

    /** Whether the sum of all balances equals deposits minus payouts. */
    public boolean isConserved() {
        return total() == deposits - payouts;
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

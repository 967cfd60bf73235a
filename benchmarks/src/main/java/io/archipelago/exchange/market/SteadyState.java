package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A market in steady state: each step matches the next bid of the pool, places it and finishes the oldest running
 * job once {@code runningJobs} are running, so capacity is neither exhausted nor idle. The same step runs with the
 * order book's matcher or with the naive reference ({@code naive}), on identical books, so their rates compare like
 * with like.
 */
final class SteadyState {

    private final OrderBook book;
    private final Bid[] bids;
    private final int runningJobs;
    private final boolean naive;
    private final ArrayDeque<JobId> running;
    private int next;

    SteadyState(OrderBook book, Bid[] bids, int runningJobs, boolean naive) {
        if (runningJobs >= bids.length) {
            throw new IllegalArgumentException("a bid's job must have finished before the pool comes round to it");
        }
        this.book = book;
        this.bids = bids;
        this.runningJobs = runningJobs;
        this.naive = naive;
        this.running = new ArrayDeque<>(runningJobs + 1);
    }

    /** The market of {@link SyntheticMarket} with 1,500 jobs running (a third of its slots), past its ramp-up. */
    static SteadyState synthetic(boolean naive) {
        SteadyState state = new SteadyState(SyntheticMarket.book(42), SyntheticMarket.bids(7), 1_500, naive);
        for (int i = 0; i < 4 * SyntheticMarket.BIDS; i++) {
            state.step();
        }
        return state;
    }

    /** Matches, places and finishes one job; returns the Ask the bid was placed on, or null if none could take it. */
    @Nullable Ask step() {
        Bid bid = bids[next];
        next = next + 1 == bids.length ? 0 : next + 1;
        Instant at = SyntheticMarket.AT;
        Ask ask = naive ? naiveBestAsk(bid, at) : book.bestAsk(bid, at);
        if (ask != null) {
            book.place(new Placement(bid.jobId(), bid.consumer(), ask.islandId, ask.owner, ask.unitPrice,
                    bid.maxUnits(), bid.escrow(), ask.conditions.rttMicros(), -1, at));
            running.addLast(bid.jobId());
            if (running.size() > runningJobs) {
                book.finish(running.removeFirst());
            }
        }
        return ask;
    }

    /** The reference: every ask filtered by the same eligibility, sorted by the same rank, the first taken. */
    @Nullable Ask naiveBestAsk(Bid bid, Instant at) {
        List<Ask> eligible = new ArrayList<>();
        for (Ask ask : book.asks()) {
            if (bid.jurisdiction().allows(ask.conditions.country()) && ask.canTake(bid, at)) {
                eligible.add(ask);
            }
        }
        if (eligible.isEmpty()) {
            return null;
        }
        eligible.sort(Ask.RANK);
        return eligible.get(0);
    }
}

package io.archipelago.exchange.market;

import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * The trades settled within the last {@link #LENGTH}, from which the market rate is cleared: the volume-weighted
 * average asking price, rounded down to whole micro-credits.
 */
final class RateWindow {

    static final Duration LENGTH = Duration.ofMinutes(15);

    private record Trade(Instant at, long askMicros, long units) {
    }

    private final Deque<Trade> trades = new ArrayDeque<>();
    private long volume;
    private long notional;

    void record(Instant at, PricePerUnit ask, long units) {
        if (units == 0) {
            return;
        }
        trades.addLast(new Trade(at, ask.microCredits(), units));
        volume = Math.addExact(volume, units);
        notional = Math.addExact(notional, Math.multiplyExact(ask.microCredits(), units));
    }

    /** Forgets the trades settled before {@code windowStart}. */
    void slideTo(Instant windowStart) {
        while (!trades.isEmpty() && trades.peekFirst().at.isBefore(windowStart)) {
            Trade old = trades.removeFirst();
            volume -= old.units;
            notional -= old.askMicros * old.units;
        }
    }

    /** A copy of this window slid to {@code windowStart}, leaving this one as it is. */
    RateWindow copySlidTo(Instant windowStart) {
        RateWindow copy = new RateWindow();
        for (Trade trade : trades) {
            if (!trade.at.isBefore(windowStart)) {
                copy.trades.addLast(trade);
                copy.volume += trade.units;
                copy.notional += trade.askMicros * trade.units;
            }
        }
        return copy;
    }

    @Nullable PricePerUnit rate() {
        return volume == 0 ? null : PricePerUnit.of(notional / volume);
    }

    long volume() {
        return volume;
    }

    int trades() {
        return trades.size();
    }

    String fingerprint() {
        return trades.size() + ":" + volume + ":" + notional;
    }
}

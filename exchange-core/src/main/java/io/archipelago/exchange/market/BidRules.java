package io.archipelago.exchange.market;

import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Duration;

/** What makes a bid well-formed. A malformed bid is refused outright and leaves no trace in the market. */
final class BidRules {

    static final long MAX_UNITS = 1_000_000_000L;
    static final Duration MAX_TTL = Duration.ofDays(1);

    private BidRules() {
    }

    /** Checks the bid's form and returns its escrow: the worst case, limit × maximum units. */
    static MicroCredits validate(SubmitBid bid) {
        require(bid.limit().microCredits() > 0, "a bid's limit price per unit is positive");
        require(bid.maxUnits() > 0 && bid.maxUnits() <= MAX_UNITS,
                "a bid's maximum units are between 1 and " + MAX_UNITS + ", got " + bid.maxUnits());
        require(!bid.ttl().isNegative() && !bid.ttl().isZero() && bid.ttl().compareTo(MAX_TTL) <= 0,
                "a bid's time to live is positive and at most one day, got " + bid.ttl());
        require(bid.maxRttMicros() == null || bid.maxRttMicros() > 0,
                "a bid's round-trip ceiling is positive, got " + bid.maxRttMicros());
        try {
            return bid.limit().times(bid.maxUnits());
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("limit x maximum units overflows a micro-credit amount");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

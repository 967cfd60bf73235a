package io.archipelago.exchange.market;

import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.karma.api.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.SubmitBid;
import org.jspecify.annotations.Nullable;

/**
 * The hard constraints a bid is matched under once the bid preferences of its consumer's account bind it, as the
 * account holds them in the same unit of work (never as a read model last saw them): the jurisdiction is the
 * countries in both the bid's and the account's (either alone when the other names none; null when neither does, and
 * the holder's region applies), the minimum karma the higher of the two, the round-trip ceiling the lower, and
 * verified hosts only when either asks for it. A bid may tighten the account's constraints, never relax them. The
 * limit and the maximum units stay the bid's own: preferences fill those in before a bid is made and bind nothing.
 *
 * @param jurisdiction         the jurisdiction, null when neither names one or when they conflict
 * @param jurisdictionConflict whether the bid's and the account's jurisdictions share no country: the bid is rejected
 * @param maxRttMicros         the round-trip ceiling, {@code Long.MAX_VALUE} for none
 */
record BoundTerms(@Nullable JurisdictionPolicy jurisdiction, boolean jurisdictionConflict, Karma minKarma,
                  long maxRttMicros, boolean verifiedOnly) {

    /** {@code bid}'s constraints bound by {@code preferred}. */
    static BoundTerms of(SubmitBid bid, BidPreferences preferred) {
        JurisdictionPolicy asked = bid.jurisdiction();
        JurisdictionPolicy binding = preferred.jurisdiction();
        JurisdictionPolicy jurisdiction = asked == null ? binding
                : binding == null ? asked
                : asked.within(binding).orElse(null);
        boolean conflict = asked != null && binding != null && jurisdiction == null;
        int minKarma = Math.max(points(bid.minKarma()), points(preferred.minKarma()));
        long maxRtt = Math.min(ceiling(bid.maxRttMicros()), ceiling(preferred.maxRttMicros()));
        return new BoundTerms(jurisdiction, conflict, Karma.of(minKarma), maxRtt,
                bid.verifiedOnly() || preferred.verifiedOnly());
    }

    private static int points(@Nullable Karma karma) {
        return karma == null ? Karma.NONE.points() : karma.points();
    }

    private static long ceiling(@Nullable Long maxRttMicros) {
        return maxRttMicros == null ? Long.MAX_VALUE : maxRttMicros;
    }
}

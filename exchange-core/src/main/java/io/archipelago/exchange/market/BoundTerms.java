package io.archipelago.exchange.market;

import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.market.api.SubmitBid;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for the hard constraints a bid is matched under once the bid preferences of its consumer's account bind
 * it: the market applies it to every bid and quote with the preferences the account holds in the same unit of work,
 * and the consumer's door applies it to a request before the bid is made, so both refuse the same requests. A bid may
 * narrow the account's jurisdiction (to the countries in both), raise its minimum karma, lower its round-trip
 * ceiling and turn verified-only on, never the reverse: a term that would relax the account's is a conflict, and the
 * bid is refused. A term the bid does not name is the account's; with no jurisdiction anywhere the result names none
 * and the holder's region applies. The limit and the maximum units stay the bid's own.
 *
 * @param jurisdiction the jurisdiction, null when neither names one or when they conflict
 * @param conflict     the first term of the bid that would relax the account's, null when there is none
 * @param minKarma     the minimum karma, {@link Karma#NONE} for none
 * @param maxRttMicros the round-trip ceiling, {@code Long.MAX_VALUE} for none
 */
public record BoundTerms(@Nullable JurisdictionPolicy jurisdiction, @Nullable Conflict conflict, Karma minKarma,
                         long maxRttMicros, boolean verifiedOnly) {

    /** A term of a bid that would relax its account's, with the reason a bid is rejected for it. */
    public enum Conflict {
        /** The bid's jurisdiction shares no country with the account's. */
        JURISDICTION(RejectionReason.POLICY_JURISDICTION_CONFLICT),
        /** The bid's minimum karma is below the account's. */
        KARMA(RejectionReason.POLICY_KARMA_CONFLICT),
        /** The bid's round-trip ceiling is above the account's. */
        LATENCY(RejectionReason.POLICY_LATENCY_CONFLICT),
        /** The bid turns verified-only off where the account requires it. */
        VERIFIED(RejectionReason.POLICY_VERIFIED_CONFLICT);

        private final RejectionReason reason;

        Conflict(RejectionReason reason) {
            this.reason = reason;
        }

        public RejectionReason reason() {
            return reason;
        }
    }

    /** {@code bid}'s constraints bound by {@code preferred}; a bid's {@code false} verified-only names nothing. */
    static BoundTerms of(SubmitBid bid, BidPreferences preferred) {
        return bind(bid.jurisdiction(), bid.minKarma(), bid.maxRttMicros(), bid.verifiedOnly() ? Boolean.TRUE : null,
                preferred);
    }

    /**
     * The asked terms bound by {@code preferred}; null for a term not asked. {@code askedVerified} false says the
     * request asked for unverified hosts too, which an account requiring verified hosts refuses.
     */
    public static BoundTerms bind(@Nullable JurisdictionPolicy askedJurisdiction, @Nullable Karma askedKarma,
                                  @Nullable Long askedMaxRttMicros, @Nullable Boolean askedVerified,
                                  BidPreferences preferred) {
        JurisdictionPolicy binding = preferred.jurisdiction();
        JurisdictionPolicy jurisdiction = askedJurisdiction == null ? binding
                : binding == null ? askedJurisdiction
                : askedJurisdiction.within(binding).orElse(null);
        Conflict conflict = null;
        if (askedJurisdiction != null && binding != null && jurisdiction == null) {
            conflict = Conflict.JURISDICTION;
        } else if (askedKarma != null && askedKarma.points() < points(preferred.minKarma())) {
            conflict = Conflict.KARMA;
        } else if (askedMaxRttMicros != null && askedMaxRttMicros > ceiling(preferred.maxRttMicros())) {
            conflict = Conflict.LATENCY;
        } else if (Boolean.FALSE.equals(askedVerified) && preferred.verifiedOnly()) {
            conflict = Conflict.VERIFIED;
        }
        Karma minKarma = askedKarma != null ? askedKarma : Karma.of(points(preferred.minKarma()));
        long maxRtt = askedMaxRttMicros != null ? askedMaxRttMicros : ceiling(preferred.maxRttMicros());
        boolean verified = askedVerified != null ? askedVerified : preferred.verifiedOnly();
        return new BoundTerms(jurisdiction, conflict, minKarma, maxRtt, verified);
    }

    /** Whether the bid's jurisdiction shares no country with the account's. */
    boolean jurisdictionConflict() {
        return conflict == Conflict.JURISDICTION;
    }

    /** What the conflict is, in the words a consumer reads; empty when there is none. */
    public String describe(BidPreferences preferred) {
        if (conflict == null) {
            return "";
        }
        return switch (conflict) {
            case JURISDICTION -> "the account's jurisdiction is " + Objects.requireNonNull(
                    preferred.jurisdiction()).describe() + " and the bid's has no country in it: a bid may only "
                    + "narrow the account's jurisdiction (to the countries in both), never widen it";
            case KARMA -> "the account requires Islands with karma " + points(preferred.minKarma())
                    + " or more; a bid may only raise the minimum, not lower it";
            case LATENCY -> "the account's latency ceiling is " + ceiling(preferred.maxRttMicros()) / 1_000
                    + " ms; a bid may only lower it, not raise it";
            case VERIFIED -> "the account takes verified hosts only; a bid cannot turn verified-only off";
        };
    }

    private static int points(@Nullable Karma karma) {
        return karma == null ? Karma.NONE.points() : karma.points();
    }

    private static long ceiling(@Nullable Long maxRttMicros) {
        return maxRttMicros == null ? Long.MAX_VALUE : maxRttMicros;
    }
}

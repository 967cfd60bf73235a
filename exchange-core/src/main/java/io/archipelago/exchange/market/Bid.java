package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A bid as the book keeps it. {@code sequence} orders bids by arrival; resting bids are served highest limit
 * first, then oldest. {@code avoid}: the Islands it goes to only when no other eligible one can take it.
 * {@code version}: the published version it is pinned to, or null.
 */
record Bid(JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits, JurisdictionPolicy jurisdiction,
           Karma minKarma, long maxRttMicros, boolean verifiedOnly, MicroCredits escrow, Instant expiresAt,
           long sequence, Set<IslandId> avoid, @Nullable String version) {

    static final Comparator<Bid> PRIORITY = Comparator.<Bid>comparingLong(bid -> bid.limit.microCredits())
            .reversed()
            .thenComparingLong(Bid::sequence);

    /** A bid that avoids no Island. */
    Bid(JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits, JurisdictionPolicy jurisdiction,
        Karma minKarma, long maxRttMicros, boolean verifiedOnly, MicroCredits escrow, Instant expiresAt,
        long sequence) {
        this(jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRttMicros, verifiedOnly, escrow, expiresAt,
                sequence, Set.of(), null);
    }

    /** A bid that pins no version. */
    Bid(JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits, JurisdictionPolicy jurisdiction,
        Karma minKarma, long maxRttMicros, boolean verifiedOnly, MicroCredits escrow, Instant expiresAt,
        long sequence, Set<IslandId> avoid) {
        this(jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRttMicros, verifiedOnly, escrow, expiresAt,
                sequence, avoid, null);
    }

    /** The same bid judged at another limit per unit: a pinned version's royalty shifts what the book's price means. */
    Bid withLimit(PricePerUnit judged) {
        return new Bid(jobId, consumer, judged, maxUnits, jurisdiction, minKarma, maxRttMicros, verifiedOnly, escrow,
                expiresAt, sequence, avoid, version);
    }

    static Bid from(BidSubmitted event, long sequence) {
        return new Bid(event.jobId(), event.consumer(), event.limit(), event.maxUnits(), event.jurisdiction(),
                event.minKarma(), event.maxRttMicros(), event.verifiedOnly(), event.escrow(), event.expiresAt(),
                sequence, event.avoid(), event.version());
    }

    boolean isExpiredAt(Instant at) {
        return !at.isBefore(expiresAt);
    }
}

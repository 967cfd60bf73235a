package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A bid entered the market with {@code escrow} (limit × maximum units) reserved from the consumer; it is placed at
 * once or rests until {@code expiresAt}. {@code jurisdiction}, {@code minKarma}, {@code maxRttMicros} and
 * {@code verifiedOnly} are the constraints it is matched under: the bid's own bound by its account's bid preferences
 * as the account held them at submission, so that replay needs nothing but this event. {@code avoid} lists the
 * Islands it prefers not to go to when another can take it (see {@link SubmitBid}); events stored before it existed
 * read as avoiding none. {@code version} is the published version the job is pinned to (see {@link SubmitBid}); null
 * when it is not, and in events stored before bids could pin one.
 */
public record BidSubmitted(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                           JurisdictionPolicy jurisdiction, Karma minKarma, long maxRttMicros, boolean verifiedOnly,
                           MicroCredits escrow, Instant expiresAt, Instant at, Set<IslandId> avoid,
                           @Nullable String version) {

    /** A missing {@code avoid} (an event stored before it existed) is none; kept sorted. */
    public BidSubmitted {
        avoid = SubmitBid.sorted(avoid);
    }

    /** A bid that pins no version. */
    public BidSubmitted(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                        JurisdictionPolicy jurisdiction, Karma minKarma, long maxRttMicros, boolean verifiedOnly,
                        MicroCredits escrow, Instant expiresAt, Instant at, Set<IslandId> avoid) {
        this(cargo, jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRttMicros, verifiedOnly, escrow,
                expiresAt, at, avoid, null);
    }

    /** A bid that avoids no Island and pins no version. */
    public BidSubmitted(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                        JurisdictionPolicy jurisdiction, Karma minKarma, long maxRttMicros, boolean verifiedOnly,
                        MicroCredits escrow, Instant expiresAt, Instant at) {
        this(cargo, jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRttMicros, verifiedOnly, escrow,
                expiresAt, at, Set.of(), null);
    }
}

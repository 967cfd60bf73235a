package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * A consumer asks for a job: at most {@code limit} per unit all-in, at most {@code maxUnits} units, inside the
 * jurisdiction (null: the consumer's region), with optional minimum karma and round-trip ceiling in microseconds,
 * resting at most {@code ttl} when nothing can take it now. {@code avoid} names Islands the consumer would rather
 * not use (a batch spreading its items, a retry leaving the Islands that failed it): a soft preference, honoured
 * whenever another eligible Island can take the bid at that moment and ignored otherwise; never a reason to rest.
 * {@code version} pins the job to one published version of the Cargo type (a rollout across versions; null: the
 * version the market's rule picks); a pin to a version never published is refused, and a pinned version yanked
 * before the job is placed gives way to the rule's.
 * {@code hold} (null: none) names the consumer's hold that funds the bid's escrow first: the credits a workflow
 * reserved at its submission for its steps.
 */
public record SubmitBid(@TargetAggregateIdentifier CargoType cargo, JobId jobId, AccountId consumer,
                        PricePerUnit limit, long maxUnits, @Nullable JurisdictionPolicy jurisdiction,
                        @Nullable Karma minKarma, @Nullable Long maxRttMicros, boolean verifiedOnly, Duration ttl,
                        Instant at, Set<IslandId> avoid, @Nullable String version, @Nullable String hold) {

    public static final long MAX_UNITS = 1_000_000_000L;
    public static final Duration MAX_TTL = Duration.ofDays(1);
    /** The most Islands one bid may ask to avoid. */
    public static final int MAX_AVOIDED = 1_000;

    /** Null {@code avoid} is none; kept sorted so that equal bids render equally. */
    public SubmitBid {
        avoid = sorted(avoid);
    }

    /** A bid that pins no version and is funded from available alone. */
    public SubmitBid(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                     @Nullable JurisdictionPolicy jurisdiction, @Nullable Karma minKarma, @Nullable Long maxRttMicros,
                     boolean verifiedOnly, Duration ttl, Instant at, Set<IslandId> avoid) {
        this(cargo, jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRttMicros, verifiedOnly, ttl, at,
                avoid, null);
    }

    /** A bid pinned to {@code version} (null: none), funded from available alone. */
    public SubmitBid(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                     @Nullable JurisdictionPolicy jurisdiction, @Nullable Karma minKarma, @Nullable Long maxRttMicros,
                     boolean verifiedOnly, Duration ttl, Instant at, Set<IslandId> avoid, @Nullable String version) {
        this(cargo, jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRttMicros, verifiedOnly, ttl, at,
                avoid, version, null);
    }

    /** This bid, its escrow drawn first from the consumer's hold {@code hold}. */
    public SubmitBid fundedBy(@Nullable String hold) {
        return new SubmitBid(cargo, jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRttMicros,
                verifiedOnly, ttl, at, avoid, version, hold);
    }

    /** A bid that avoids no Island and pins no version. */
    public SubmitBid(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                     @Nullable JurisdictionPolicy jurisdiction, @Nullable Karma minKarma, @Nullable Long maxRttMicros,
                     boolean verifiedOnly, Duration ttl, Instant at) {
        this(cargo, jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRttMicros, verifiedOnly, ttl, at,
                Set.of(), null);
    }

    /** {@code islands} as an unmodifiable sorted set, empty for null; null elements are refused. */
    static SortedSet<IslandId> sorted(@Nullable Set<IslandId> islands) {
        if (islands == null || islands.isEmpty()) {
            return Collections.emptySortedSet();
        }
        for (IslandId island : islands) {
            if (island == null) {
                throw new IllegalArgumentException("every avoided Island is named");
            }
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(islands));
    }

    /**
     * The bid's escrow, the worst case it may cost: limit × maximum units. Checking the bid's form on the way, so the
     * market and whoever batches bids for it refuse the same malformed bids.
     *
     * @throws IllegalArgumentException when the bid is malformed; a malformed bid leaves no trace in the market
     */
    public MicroCredits worstCase() {
        if (cargo == null || jobId == null || consumer == null || limit == null || ttl == null || at == null) {
            throw new IllegalArgumentException("a bid names its cargo, job, consumer, limit, time to live and time");
        }
        require(limit.microCredits() > 0, "a bid's limit price per unit is positive");
        MoneyCaps.price("a bid's limit", limit);
        require(maxUnits > 0 && maxUnits <= MAX_UNITS,
                "a bid's maximum units are between 1 and " + MAX_UNITS + ", got " + maxUnits);
        require(!ttl.isNegative() && !ttl.isZero() && ttl.compareTo(MAX_TTL) <= 0,
                "a bid's time to live is positive and at most one day, got " + ttl);
        require(maxRttMicros == null || maxRttMicros > 0, "a bid's round-trip ceiling is positive, got "
                + maxRttMicros);
        require(avoid.size() <= MAX_AVOIDED, "a bid avoids at most " + MAX_AVOIDED + " Islands, got " + avoid.size());
        // within the caps limit x maximum units is at most 10^18: it cannot overflow
        return limit.times(maxUnits);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MoneyCaps;
import io.archipelago.exchange.money.PricePerUnit;
import org.jspecify.annotations.Nullable;

/**
 * The bid terms a consumer set on its account, used for every job it submits unless a request says otherwise. A null
 * term is no preference (the coordinator's default applies). {@code limit} is the all-in price per unit,
 * {@code maxUnits} the most units a job may use, {@code jurisdiction} where jobs may run (null: the holder's region),
 * {@code minKarma} the least karma an Island needs, {@code maxRttMicros} the round-trip ceiling in microseconds and
 * {@code verifiedOnly} whether only verified hosts may take the jobs. Jurisdiction, minimum karma, round-trip ceiling
 * and verified-only bind every request of the account: a request may tighten them, never relax them.
 */
public record BidPreferences(@Nullable PricePerUnit limit, @Nullable Long maxUnits,
                             @Nullable JurisdictionPolicy jurisdiction, @Nullable Karma minKarma,
                             @Nullable Long maxRttMicros, boolean verifiedOnly) {

    /** The round-trip ceiling can be at most a minute: beyond it no Island would be excluded. */
    public static final long MAX_RTT_MICROS = 60_000_000L;

    /** No preference at all: every term is the coordinator's default. */
    public static final BidPreferences NONE = new BidPreferences(null, null, null, null, null, false);

    public BidPreferences {
        if (limit != null && limit.microCredits() <= 0) {
            throw new IllegalArgumentException("a preferred limit price per unit is positive, got "
                    + limit.microCredits());
        }
        if (limit != null) {
            MoneyCaps.price("a preferred limit", limit);
        }
        if (maxUnits != null && (maxUnits <= 0 || maxUnits > SubmitBid.MAX_UNITS)) {
            throw new IllegalArgumentException("preferred maximum units are between 1 and " + SubmitBid.MAX_UNITS
                    + ", got " + maxUnits);
        }
        if (maxRttMicros != null && (maxRttMicros <= 0 || maxRttMicros > MAX_RTT_MICROS)) {
            throw new IllegalArgumentException("a preferred round-trip ceiling is between 1 and " + MAX_RTT_MICROS
                    + " microseconds, got " + maxRttMicros);
        }
    }
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.pricing.UnitPrice;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a bid would meet on its market now, from the market's own state: {@code islands} with an ask there, of which
 * {@code eligible} could take it; the Island it would be placed on and the {@code price} per unit it would pay there
 * (null when none could); its worst case, limit × maximum units, held in escrow at submission; the consumer's
 * {@code available} credits (null when the account is not open); the bid's {@code jurisdiction} as resolved and bound
 * by the account's bid preferences, as a submission would be (the consumer's region when neither names one; null
 * when that is unknown because the account is not open, or when the two share no country); how many
 * Islands each {@link Exclusion} kept out, each counted under the first that excludes it, every constraint present
 * (zero included) in the enum's order; and the reason the market would reject the bid outright, if it would.
 */
public record BidQuote(CargoType cargo, @Nullable JurisdictionPolicy jurisdiction, int islands, int eligible,
                       @Nullable IslandId islandId, @Nullable UnitPrice price, MicroCredits worstCase,
                       @Nullable MicroCredits available, Map<Exclusion, Integer> excluded,
                       @Nullable RejectionReason rejection) {

    public BidQuote {
        EnumMap<Exclusion, Integer> ordered = new EnumMap<>(Exclusion.class);
        ordered.putAll(excluded);
        excluded = Collections.unmodifiableMap(ordered);
    }

    /** Whether the consumer's available credits cover the worst case now. */
    public boolean covered() {
        return available != null && available.isAtLeast(worstCase);
    }
}

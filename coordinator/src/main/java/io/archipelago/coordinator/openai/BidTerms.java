package io.archipelago.coordinator.openai;

import io.archipelago.exchange.batch.api.ItemTerms;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a consumer's bid says beyond the Cargo and the input: the limit price per unit all-in, the most units it may
 * use, the jurisdiction (null: the account's region), the minimum karma, the round-trip ceiling in microseconds and
 * whether only verified hosts may take it. Resolved per request by {@link BidTermsResolver} from the request, the
 * account's bid preferences and the coordinator's defaults.
 */
record BidTerms(long limitMicroCredits, long maxUnits, @Nullable JurisdictionPolicy jurisdiction,
                @Nullable Karma minKarma, @Nullable Long maxRttMicros, boolean verifiedOnly) {

    /** The terms as a batch keeps them for each of its items. */
    ItemTerms forItems() {
        return new ItemTerms(PricePerUnit.of(limitMicroCredits), maxUnits, jurisdiction, minKarma, maxRttMicros,
                verifiedOnly);
    }

    /** The terms a batch keeps for its items, as the door places a bid with them. */
    static BidTerms of(ItemTerms terms) {
        return new BidTerms(terms.limit().microCredits(), terms.maxUnits(), terms.jurisdiction(), terms.minKarma(),
                terms.maxRttMicros(), terms.verifiedOnly());
    }
}

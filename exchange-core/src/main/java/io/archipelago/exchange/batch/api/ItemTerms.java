package io.archipelago.exchange.batch.api;

import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import org.jspecify.annotations.Nullable;

/**
 * The bid terms every item of a batch is placed with, as on a single bid: the limit price per unit, the most units
 * an item may use, the jurisdiction (null: the account's region), the minimum karma, the round-trip ceiling in
 * microseconds and whether only verified hosts may take it.
 */
public record ItemTerms(PricePerUnit limit, long maxUnits, @Nullable JurisdictionPolicy jurisdiction,
                        @Nullable Karma minKarma, @Nullable Long maxRttMicros, boolean verifiedOnly) {
}

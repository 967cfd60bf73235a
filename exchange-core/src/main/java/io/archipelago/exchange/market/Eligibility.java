package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.market.api.Exclusion;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rule that says whether an ask may take a bid: one pure function shared by the matcher, which places bids, and
 * by quotes, which say why nothing would take one, so that the two cannot disagree. Checks run in {@link Exclusion}
 * order and stop at the first that excludes; the cheap comparisons come before the schedule's look-up.
 */
public final class Eligibility {

    private Eligibility() {
    }

    /**
     * The first constraint that keeps an Island from taking a bid, or null when it can take it.
     *
     * @param island        the Island's conditions on this market
     * @param usedSlots     its slots taken by running jobs
     * @param consumerPrice what a unit costs the consumer on it, all-in, in micro-credits
     * @param countries     the countries of the bid's jurisdiction as bound by its account (empty: none, the two
     *                      conflict); null to leave it out: the matcher judges it once per country shelf, and a quote
     *                      for an account that is not open has none
     * @param limit         the bid's limit per unit in micro-credits
     * @param minKarma      the bid's minimum karma points
     * @param maxRttMicros  the bid's round-trip ceiling ({@code Long.MAX_VALUE}: none)
     * @param verifiedOnly  whether the bid takes verified hosts only
     * @param at            when the bid would be placed, for the schedule
     */
    public static @Nullable Exclusion exclusion(IslandConditions island, int usedSlots, long consumerPrice,
                                                @Nullable Set<Country> countries, long limit, int minKarma,
                                                long maxRttMicros, boolean verifiedOnly, Instant at) {
        if (!island.online()) {
            return Exclusion.OFFLINE;
        }
        if (countries != null && !countries.contains(island.country())) {
            return Exclusion.JURISDICTION;
        }
        if (consumerPrice > limit) {
            return Exclusion.PRICE;
        }
        if (island.karma().points() < minKarma) {
            return Exclusion.KARMA;
        }
        if (island.rttMicros() > maxRttMicros) {
            return Exclusion.LATENCY;
        }
        if (verifiedOnly && !island.verified()) {
            return Exclusion.VERIFIED;
        }
        if (usedSlots >= island.slots()) {
            return Exclusion.CAPACITY;
        }
        if (!island.schedule().isOpenAt(at)) {
            return Exclusion.SCHEDULE;
        }
        return null;
    }
}

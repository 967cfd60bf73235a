package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.market.api.Exclusion;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every ask of a book judged against one bid by the {@link Eligibility} rule: how many could take it, which of them
 * the matcher would choose (the first in {@link Ask#RANK} order, passing over the Islands the bid avoids unless only
 * they can take it, as the matcher does), and how many each constraint kept out. A full scan, unlike the matcher,
 * which stops at the first eligible ask of each country.
 */
final class Quotation {

    final int eligible;
    final @Nullable Ask best;
    final Map<Exclusion, Integer> excluded;

    private Quotation(int eligible, @Nullable Ask best, Map<Exclusion, Integer> excluded) {
        this.eligible = eligible;
        this.best = best;
        this.excluded = excluded;
    }

    /**
     * Judges {@code asks} for {@code bid} at {@code at} inside {@code countries}: null anywhere, empty nowhere (a bid
     * whose jurisdiction conflicts with its account's).
     */
    static Quotation of(Collection<Ask> asks, Bid bid, @Nullable Set<Country> countries, Instant at) {
        Map<Exclusion, Integer> excluded = new EnumMap<>(Exclusion.class);
        for (Exclusion exclusion : Exclusion.values()) {
            excluded.put(exclusion, 0);
        }
        int eligible = 0;
        Ask best = null;
        Ask avoided = null;
        for (Ask ask : asks) {
            Exclusion exclusion = ask.exclusionFor(bid, countries, at);
            if (exclusion != null) {
                excluded.merge(exclusion, 1, Integer::sum);
                continue;
            }
            eligible++;
            if (bid.avoid().contains(ask.islandId)) {
                avoided = better(avoided, ask);
            } else {
                best = better(best, ask);
            }
        }
        return new Quotation(eligible, best != null ? best : avoided, excluded);
    }

    private static Ask better(@Nullable Ask current, Ask candidate) {
        return current == null || Ask.RANK.compare(candidate, current) < 0 ? candidate : current;
    }
}

package io.archipelago.exchange.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.Country;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SteadyStateTest {

    private static final int STEPS = 3 * SyntheticMarket.BIDS;

    @Test
    void orderBookAndNaiveReferencePlaceEveryBidOnTheSameIsland() {
        SteadyState book = new SteadyState(SyntheticMarket.book(42), SyntheticMarket.bids(7), 1_500, false);
        SteadyState naive = new SteadyState(SyntheticMarket.book(42), SyntheticMarket.bids(7), 1_500, true);
        int placed = 0;
        Set<Country> countries = new HashSet<>();
        for (int i = 0; i < STEPS; i++) {
            Ask fast = book.step();
            Ask reference = naive.step();
            assertThat(fast == null ? null : fast.islandId).as("step %d", i)
                    .isEqualTo(reference == null ? null : reference.islandId);
            if (fast != null) {
                placed++;
                countries.add(fast.conditions.country());
            }
        }
        assertThat(countries).containsExactlyInAnyOrderElementsOf(SyntheticMarket.COUNTRIES);
        assertThat(placed).as("placed of %d", STEPS).isBetween(STEPS * 8 / 10, STEPS - 1);
    }
}

package io.archipelago.exchange.batch;

import io.archipelago.exchange.ids.IslandId;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a batch spreads its items over Islands: an item's first attempt avoids the Islands the batch's items went to in
 * the current round, and a round ends when the market placed an item on one of them after all (only those could take
 * it); a retry avoids instead the Islands that failed or lost the item. The market honours either only where another
 * eligible Island exists.
 */
final class Spreading {

    private final SortedSet<IslandId> round = new TreeSet<>();

    /** The Islands the next attempt of an item avoids, in id order, given those that failed or lost it. */
    List<IslandId> avoid(SortedSet<IslandId> failedOn) {
        return List.copyOf(failedOn.isEmpty() ? round : failedOn);
    }

    /** An item's bid went to {@code island} at once. */
    void placedOn(IslandId island) {
        if (round.contains(island)) {
            round.clear();
        }
        round.add(island);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Spreading spreading && round.equals(spreading.round);
    }

    @Override
    public int hashCode() {
        return round.hashCode();
    }

    @Override
    public String toString() {
        return round.toString();
    }
}

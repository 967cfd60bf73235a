package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The asks, resting bids and running jobs of one market, and the matcher that places a bid. Asks are kept on one
 * shelf per country, each shelf in {@link Ask#RANK} order, so a bid looks only at the countries its jurisdiction
 * allows and, on each, only until the first Island that can take it: the best eligible Island of a country is the
 * first eligible one on its shelf. Each shelf also marks which of its asks are open (online, with a free slot), so
 * the busy Islands at the head of a shelf, the fastest ones, are skipped without being looked at.
 */
final class OrderBook {

    private PricePerUnit royalty;
    private final Map<IslandId, Ask> asks = new HashMap<>();
    private final List<Shelf> shelves = new ArrayList<>();
    private final TreeSet<Bid> resting = new TreeSet<>(Bid.PRIORITY);
    private final Map<JobId, Bid> restingById = new HashMap<>();
    /** The bids of running jobs, to put back in the book when a job is reassigned. */
    private final Map<JobId, Bid> placedBids = new HashMap<>();
    /** The Islands each reassigned job may never go back to. */
    private final Map<JobId, Set<IslandId>> exclusions = new HashMap<>();
    private final Map<JobId, Placement> running = new HashMap<>();
    /** The Islands of each running pipeline job's stages, each holding one slot of its ask for it. */
    private final Map<JobId, List<IslandId>> stages = new HashMap<>();
    private final Set<JobId> known = new HashSet<>();
    private long arrivals;

    OrderBook(PricePerUnit royalty) {
        this.royalty = royalty;
    }

    /**
     * The best Island that can take {@code bid} at {@code at}, if any. Islands the bid avoids count only when no
     * other eligible Island can take it: then the best of them.
     */
    @Nullable Ask bestAsk(Bid bid, Instant at) {
        Set<IslandId> excluded = exclusions.isEmpty() ? Set.of() : exclusions.getOrDefault(bid.jobId(), Set.of());
        Set<IslandId> avoided = bid.avoid();
        Ask best = null;
        Ask fallback = null;
        for (Shelf shelf : shelves) {
            if (!bid.jurisdiction().allows(shelf.country)) {
                continue;
            }
            ArrayList<Ask> ranked = shelf.ranked;
            BitSet open = shelf.open;
            for (int i = open.nextSetBit(0); i >= 0; i = open.nextSetBit(i + 1)) {
                Ask ask = ranked.get(i);
                if (best != null && Ask.RANK.compare(ask, best) >= 0) {
                    break;
                }
                if (ask.conditions.rttMicros() > bid.maxRttMicros()) {
                    // the shelf is in round-trip order: every ask after this one is as far or farther
                    break;
                }
                if (ask.canTake(bid, at) && !excluded.contains(ask.islandId)) {
                    if (avoided.isEmpty() || !avoided.contains(ask.islandId)) {
                        best = ask;
                        break;
                    }
                    // an avoided Island is kept in case no other one can take the bid; look further on the shelf
                    if (fallback == null || Ask.RANK.compare(ask, fallback) < 0) {
                        fallback = ask;
                    }
                }
            }
        }
        return best != null ? best : fallback;
    }

    boolean knows(JobId jobId) {
        return known.contains(jobId);
    }

    Optional<Ask> ask(IslandId islandId) {
        return Optional.ofNullable(asks.get(islandId));
    }

    Collection<Ask> asks() {
        return asks.values();
    }

    Optional<Placement> running(JobId jobId) {
        return Optional.ofNullable(running.get(jobId));
    }

    Collection<Placement> running() {
        return running.values();
    }

    Optional<Bid> resting(JobId jobId) {
        return Optional.ofNullable(restingById.get(jobId));
    }

    /** Resting bids, highest limit first, then oldest. */
    List<Bid> restingInPriority() {
        return List.copyOf(resting);
    }

    long nextArrival() {
        return arrivals;
    }

    PricePerUnit royalty() {
        return royalty;
    }

    /**
     * Prices every ask with a new royalty per unit (another Cargo version became the placed one). Rank does not
     * involve the royalty, so no shelf moves; running jobs keep the price they were placed at.
     */
    void changeRoyalty(PricePerUnit newRoyalty) {
        if (newRoyalty.equals(royalty)) {
            return;
        }
        royalty = newRoyalty;
        asks.values().forEach(ask -> ask.changeRoyalty(newRoyalty));
    }

    /** Lists an ask; jobs still running on the Island from an earlier ask keep their slots. */
    void addAsk(Ask ask) {
        ask.usedSlots = (int) (running.values().stream().filter(job -> job.islandId().equals(ask.islandId)).count()
                + stages.values().stream().flatMap(List::stream).filter(ask.islandId::equals).count());
        asks.put(ask.islandId, ask);
        shelfOf(ask.conditions.country()).insert(ask);
    }

    void reprice(IslandId islandId, PricePerUnit price) {
        Ask ask = asks.get(islandId);
        Shelf shelf = shelfOf(ask.conditions.country());
        shelf.remove(ask);
        ask.reprice(price);
        shelf.insert(ask);
    }

    void update(IslandId islandId, IslandConditions conditions) {
        Ask ask = asks.get(islandId);
        shelfOf(ask.conditions.country()).remove(ask);
        ask.update(conditions);
        shelfOf(conditions.country()).insert(ask);
    }

    void withdraw(IslandId islandId) {
        Ask ask = asks.remove(islandId);
        shelfOf(ask.conditions.country()).remove(ask);
    }

    void arrive(Bid bid) {
        known.add(bid.jobId());
        arrivals = bid.sequence() + 1;
        resting.add(bid);
        restingById.put(bid.jobId(), bid);
    }

    void place(Placement placement) {
        Bid bid = restingById.remove(placement.jobId());
        if (bid != null) {
            resting.remove(bid);
            placedBids.put(placement.jobId(), bid);
        }
        running.put(placement.jobId(), placement);
        Ask ask = asks.get(placement.islandId());
        if (ask != null) {
            ask.usedSlots++;
            if (!ask.isOpen()) {
                shelfOf(ask.conditions.country()).refresh(ask);
            }
        }
    }

    /** A pipeline job's stages each take a slot of their Island's ask until the job ends. */
    void holdStages(JobId jobId, List<IslandId> islands) {
        if (stages.putIfAbsent(jobId, List.copyOf(islands)) != null) {
            return;
        }
        for (IslandId island : islands) {
            Ask ask = asks.get(island);
            if (ask != null) {
                ask.usedSlots++;
                if (!ask.isOpen()) {
                    shelfOf(ask.conditions.country()).refresh(ask);
                }
            }
        }
    }

    /** The pipeline job ended: its stages' slots are free again. */
    void releaseStages(JobId jobId) {
        List<IslandId> held = stages.remove(jobId);
        if (held == null) {
            return;
        }
        for (IslandId island : held) {
            Ask ask = asks.get(island);
            if (ask != null && ask.usedSlots > 0) {
                ask.usedSlots--;
                if (ask.isOpen()) {
                    shelfOf(ask.conditions.country()).refresh(ask);
                }
            }
        }
    }

    void start(JobId jobId, long ttftMicros) {
        running.computeIfPresent(jobId, (id, placement) -> placement.started(ttftMicros));
    }

    /** Ends a running job and frees its slot. */
    Placement finish(JobId jobId) {
        placedBids.remove(jobId);
        exclusions.remove(jobId);
        Placement placement = running.remove(jobId);
        Ask ask = asks.get(placement.islandId());
        if (ask != null) {
            ask.usedSlots--;
            if (ask.isOpen()) {
                shelfOf(ask.conditions.country()).refresh(ask);
            }
        }
        return placement;
    }

    /** Frees a running job's slot and rests its bid again, never to be placed on {@code lostBy} again. */
    void reassign(JobId jobId, IslandId lostBy) {
        Bid bid = placedBids.get(jobId);
        Set<IslandId> excluded = new TreeSet<>(exclusions.getOrDefault(jobId, Set.of()));
        excluded.add(lostBy);
        finish(jobId);
        exclusions.put(jobId, excluded);
        resting.add(bid);
        restingById.put(jobId, bid);
    }

    /** Jobs with exclusions, for the state digest. */
    Map<JobId, Set<IslandId>> exclusions() {
        return exclusions;
    }

    Bid expire(JobId jobId) {
        exclusions.remove(jobId);
        Bid bid = restingById.remove(jobId);
        resting.remove(bid);
        return bid;
    }

    private Shelf shelfOf(Country country) {
        for (Shelf shelf : shelves) {
            if (shelf.country.equals(country)) {
                return shelf;
            }
        }
        Shelf shelf = new Shelf(country);
        shelves.add(shelf);
        return shelf;
    }

    /**
     * The asks of one country in rank order, and the positions of the open ones among them. Re-sorted only when a
     * rank key changes, never per bid; an ask's mark follows its slots as jobs are placed and finished.
     */
    private static final class Shelf {
        final Country country;
        final ArrayList<Ask> ranked = new ArrayList<>();
        final BitSet open = new BitSet();

        Shelf(Country country) {
            this.country = country;
        }

        void insert(Ask ask) {
            ranked.add(positionOf(ask), ask);
            mark();
        }

        void remove(Ask ask) {
            ranked.remove(ask);
            mark();
        }

        /** Marks {@code ask} open or not after its slots in use changed; its place on the shelf did not. */
        void refresh(Ask ask) {
            open.set(positionOf(ask), ask.isOpen());
        }

        /** Where {@code ask} is, or would go: the first position whose ask does not rank before it. */
        private int positionOf(Ask ask) {
            int low = 0;
            int high = ranked.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                Ask other = ranked.get(mid);
                if (other == ask) {
                    // found by identity, which spares the full comparison down to the Island id
                    return mid;
                }
                if (Ask.RANK.compare(other, ask) < 0) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        private void mark() {
            open.clear();
            for (int i = 0; i < ranked.size(); i++) {
                open.set(i, ranked.get(i).isOpen());
            }
        }
    }
}

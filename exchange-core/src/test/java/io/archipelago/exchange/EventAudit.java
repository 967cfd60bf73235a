package io.archipelago.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.AskRepriced;
import io.archipelago.exchange.market.api.AskWithdrawn;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.market.api.CargoVersionDeprecated;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import io.archipelago.exchange.market.api.JobVersionAssigned;
import io.archipelago.exchange.market.api.VersionStatus;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole event history the way an auditor would, independently of the aggregates, and checks the market's
 * promises: money is conserved, every placement met every hard constraint of its bid at the moment it was made, a
 * consumer never paid above its limit and a host earned exactly its ask times the units.
 */
final class EventAudit {

    private record AskState(PricePerUnit price, IslandConditions conditions, int used) {
    }

    private record VersionState(AccountId publisher, PricePerUnit royalty, VersionStatus status) {
    }

    private final Ledger ledger = new Ledger();
    private final Map<String, PricePerUnit> royalties = new HashMap<>();
    private final Map<String, AskState> asks = new HashMap<>();
    private final Map<String, BidSubmitted> bids = new HashMap<>();
    private final Map<String, JobPlaced> running = new HashMap<>();
    /** Per Cargo type, its versions in publication order. */
    private final Map<String, Map<String, VersionState>> versions = new HashMap<>();
    /** Per running job that runs a version, that version's publisher. */
    private final Map<String, AccountId> versionPublishers = new HashMap<>();
    private int versionPlacements;
    private int placements;
    private int settlements;

    static EventAudit of(Iterable<Object> events) {
        EventAudit audit = new EventAudit();
        events.forEach(audit::read);
        assertThat(audit.ledger.isConserved()).as("sum of balances = deposits - payouts").isTrue();
        assertThat(audit.ledger.isCleared()).as("no settled charge left in clearing between commands").isTrue();
        return audit;
    }

    int placements() {
        return placements;
    }

    int settlements() {
        return settlements;
    }

    int versionPlacements() {
        return versionPlacements;
    }

    Ledger ledger() {
        return ledger;
    }

    private static String key(Object cargo, Object island) {
        return cargo + "/" + island;
    }

    private void read(Object event) {
        ledger.record(event);
        if (event instanceof CargoRegistered e) {
            royalties.put(e.cargo().value(), e.royalty());
        } else if (event instanceof CargoVersionPublished e) {
            versions.computeIfAbsent(e.cargo().value(), k -> new LinkedHashMap<>()).put(e.version(),
                    new VersionState(e.publisher(), e.manifest().royalty(), VersionStatus.ACTIVE));
        } else if (event instanceof CargoVersionDeprecated e) {
            versions.get(e.cargo().value()).computeIfPresent(e.version(),
                    (k, v) -> new VersionState(v.publisher(), v.royalty(), VersionStatus.DEPRECATED));
        } else if (event instanceof CargoVersionYanked e) {
            versions.get(e.cargo().value()).computeIfPresent(e.version(),
                    (k, v) -> new VersionState(v.publisher(), v.royalty(), VersionStatus.YANKED));
        } else if (event instanceof JobVersionAssigned e) {
            checkVersion(e);
        } else if (event instanceof AskPlaced e) {
            int stillRunning = (int) running.values().stream()
                    .filter(job -> job.cargo().equals(e.cargo()) && job.islandId().equals(e.islandId())).count();
            asks.put(key(e.cargo(), e.islandId()), new AskState(e.price(), e.conditions(), stillRunning));
        } else if (event instanceof AskRepriced e) {
            asks.computeIfPresent(key(e.cargo(), e.islandId()), (k, a) -> new AskState(e.price(), a.conditions(),
                    a.used()));
        } else if (event instanceof AskWithdrawn e) {
            asks.remove(key(e.cargo(), e.islandId()));
        } else if (event instanceof IslandConditionsChanged e) {
            asks.computeIfPresent(key(e.cargo(), e.islandId()), (k, a) -> new AskState(a.price(), e.conditions(),
                    a.used()));
        } else if (event instanceof BidSubmitted e) {
            assertThat(e.escrow()).isEqualTo(e.limit().times(e.maxUnits()));
            bids.put(e.jobId().value(), e);
        } else if (event instanceof JobPlaced e) {
            checkPlacement(e);
        } else if (event instanceof JobCompleted e) {
            checkSettlement(e);
            release(e.cargo(), e.islandId(), e.jobId().value());
        } else if (event instanceof JobFailed e) {
            assertThat(e.refunded()).isEqualTo(bids.get(e.jobId().value()).escrow());
            release(e.cargo(), e.islandId(), e.jobId().value());
        } else if (event instanceof JobCancelled e) {
            assertThat(e.units()).isLessThanOrEqualTo(bids.get(e.jobId().value()).maxUnits());
            assertThat(e.charged()).isEqualTo(e.hostEarnings().plus(e.royalty()).plus(e.fee()));
            release(e.cargo(), e.islandId(), e.jobId().value());
        } else if (event instanceof JobReassigned e) {
            assertThat(running.get(e.jobId().value())).as("a reassigned job was running").isNotNull();
            assertThat(running.get(e.jobId().value()).islandId()).isEqualTo(e.islandId());
            release(e.cargo(), e.islandId(), e.jobId().value());
        } else if (event instanceof BidExpired e) {
            assertThat(running).doesNotContainKey(e.jobId().value());
        }
    }

    private void checkPlacement(JobPlaced placed) {
        BidSubmitted bid = bids.get(placed.jobId().value());
        assertThat(bid).as("a placed job was bid for").isNotNull();
        assertThat(running).as("a job is placed once at a time").doesNotContainKey(placed.jobId().value());
        AskState ask = asks.get(key(placed.cargo(), placed.islandId()));
        assertThat(ask).as("placed on an Island with an ask on this market").isNotNull();
        IslandConditions c = ask.conditions();
        assertThat(c.online()).as("online").isTrue();
        assertThat(ask.used()).as("a free slot").isLessThan(c.slots());
        assertThat(bid.jurisdiction().allows(c.country())).as("inside the jurisdiction").isTrue();
        assertThat(c.schedule().isOpenAt(placed.at())).as("inside the schedule").isTrue();
        assertThat(c.karma().points()).as("karma").isGreaterThanOrEqualTo(bid.minKarma().points());
        assertThat(c.rttMicros()).as("round-trip ceiling").isLessThanOrEqualTo(bid.maxRttMicros());
        assertThat(c.verified() || !bid.verifiedOnly()).as("verified when required").isTrue();
        String placedVersion = placedVersion(placed.cargo().value());
        assertThat(placedVersion != null || versions.getOrDefault(placed.cargo().value(), Map.of()).isEmpty())
                .as("a Cargo type with versions places only while one of them is not yanked").isTrue();
        PricePerUnit royalty = placedVersion == null ? royalties.get(placed.cargo().value())
                : versions.get(placed.cargo().value()).get(placedVersion).royalty();
        assertThat(placed.price()).isEqualTo(Pricing.quote(ask.price(), royalty, c.karma()));
        assertThat(placed.price().total().microCredits()).as("never above the limit")
                .isLessThanOrEqualTo(bid.limit().microCredits());
        asks.put(key(placed.cargo(), placed.islandId()), new AskState(ask.price(), c, ask.used() + 1));
        running.put(placed.jobId().value(), placed);
        placements++;
    }

    private void checkSettlement(JobCompleted done) {
        JobPlaced placed = running.get(done.jobId().value());
        BidSubmitted bid = bids.get(done.jobId().value());
        assertThat(done.units()).isLessThanOrEqualTo(bid.maxUnits());
        assertThat(done.price()).isEqualTo(placed.price());
        assertThat(done.hostEarnings()).as("host earns ask x units")
                .isEqualTo(placed.price().ask().times(done.units()));
        assertThat(done.charged().value()).as("consumer charged never above limit x units")
                .isLessThanOrEqualTo(bid.limit().microCredits() * done.units());
        assertThat(done.charged()).isEqualTo(done.hostEarnings().plus(done.royalty()).plus(done.fee()));
        assertThat(done.released()).isEqualTo(bid.escrow().minus(done.charged()));
        AccountId versionPublisher = versionPublishers.remove(done.jobId().value());
        if (versionPublisher != null) {
            assertThat(done.publisher()).as("the royalty goes to the publisher of the version run")
                    .isEqualTo(versionPublisher);
        }
        settlements++;
    }

    /** The version a job placed now runs, by a naive reading of the rule: newest active, else newest deprecated. */
    private String placedVersion(String cargo) {
        List<Map.Entry<String, VersionState>> newestFirst =
                new ArrayList<>(versions.getOrDefault(cargo, Map.of()).entrySet());
        java.util.Collections.reverse(newestFirst);
        for (VersionStatus wanted : List.of(VersionStatus.ACTIVE, VersionStatus.DEPRECATED)) {
            for (Map.Entry<String, VersionState> version : newestFirst) {
                if (version.getValue().status() == wanted) {
                    return version.getKey();
                }
            }
        }
        return null;
    }

    private void checkVersion(JobVersionAssigned assigned) {
        JobPlaced placed = running.get(assigned.jobId().value());
        assertThat(placed).as("a version is assigned to a job just placed").isNotNull();
        String expected = placedVersion(assigned.cargo().value());
        assertThat(assigned.version()).as("the version the rule places").isEqualTo(expected);
        VersionState version = versions.get(assigned.cargo().value()).get(assigned.version());
        assertThat(version.status()).as("never a yanked version").isNotEqualTo(VersionStatus.YANKED);
        assertThat(assigned.publisher()).isEqualTo(version.publisher());
        assertThat(placed.price().royalty()).isEqualTo(version.royalty());
        versionPublishers.put(assigned.jobId().value(), assigned.publisher());
        versionPlacements++;
    }

    private void release(Object cargo, Object island, String jobId) {
        running.remove(jobId);
        versionPublishers.remove(jobId);
        asks.computeIfPresent(key(cargo, island), (k, a) -> new AskState(a.price(), a.conditions(), a.used() - 1));
    }
}

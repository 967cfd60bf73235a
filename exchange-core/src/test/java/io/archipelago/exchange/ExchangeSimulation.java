package io.archipelago.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.exchange.market.api.BidCancelled;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CancelJob;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.JobStarted;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.ReassignJob;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;

/**
 * One seeded, deterministic run of the whole exchange domain: the real aggregates on Axon, consumers bidding, Islands
 * joining, leaving, coming back, stalling, lying about usage and dying mid-job, consumers leaving mid-stream, bids
 * expiring, payouts, and coordinator crashes after which a new exchange starts over the same event store with every
 * cache and every in-memory dispatch gone. The coordinator's dispatch is modelled on the island bridge's rules: a
 * placement goes to its Island once; a job its Island does not start within {@link #START_TIMEOUT}, or whose Island
 * goes offline, is placed again when nothing streamed and failed when something did; a job past
 * {@link #JOB_DEADLINE} fails; after a crash every job the store shows running is taken over the same way.
 *
 * <p>After every step it checks the invariants: money is conserved and no bucket goes negative ({@link EventAudit},
 * which also checks every placement and settlement against the market's rules), every acknowledged job is terminal
 * by its bid's expiry plus the job deadline, and no placement is dispatched twice, crashes included. The same seed
 * always gives the same events.
 */
final class ExchangeSimulation {

    static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    static final Duration JOB_DEADLINE = Duration.ofMinutes(10);
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);
    /** The longest one step moves time forward. */
    static final Duration LONGEST_STEP = Duration.ofSeconds(90);

    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    private static final List<CargoType> CARGOS = List.of(new CargoType("llm.chat"), new CargoType("img.gen"));
    private static final List<Country> COUNTRIES = List.of(Country.of("DE"), Country.of("FR"), Country.of("CH"),
            Country.of("US"), Country.of("NL"), Country.of("GB"));
    private static final int CONSUMERS = 4;
    private static final AccountId PUBLISHER = new AccountId("publisher");

    /** How a simulated Island behaves with the jobs it is given. */
    enum Behaviour {
        HONEST,
        /** Takes jobs and never starts them. */
        STALLS,
        /** Reports more units than the job allowed, or a negative count. */
        LIES_ABOUT_USAGE,
        /** Starts jobs, then vanishes (missed heartbeats). */
        DIES_MID_JOB
    }

    /** What one run went through. */
    record Stats(int bids, int placements, int completions, int failures, int reassignments, int cancellations,
                 int expiries, int crashes, int lies, int departures, int events) {

        Stats plus(Stats other) {
            return new Stats(bids + other.bids, placements + other.placements, completions + other.completions,
                    failures + other.failures, reassignments + other.reassignments,
                    cancellations + other.cancellations, expiries + other.expiries, crashes + other.crashes,
                    lies + other.lies, departures + other.departures, events + other.events);
        }

        static Stats none() {
            return new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    /** The result of a run: every event payload in store order, and what the run went through. */
    record Run(long seed, List<Object> events, Stats stats) {
    }

    /** A job this (simulated) coordinator dispatched and that still runs on its Island, as far as it knows. */
    private static final class Dispatched {
        final JobPlaced placed;
        final Instant placedAt;
        final Instant finishesAt;
        boolean started;

        Dispatched(JobPlaced placed, Instant placedAt, Instant finishesAt) {
            this.placed = placed;
            this.placedAt = placedAt;
            this.finishesAt = finishesAt;
        }
    }

    private final long seed;
    private final Random random;
    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();
    private InMemoryExchange exchange;
    private Instant now = START;
    private Instant lastSweep = START;
    private int counter;
    private int step;

    private final Map<String, Behaviour> islands = new LinkedHashMap<>();
    private final Set<String> onlineIslands = new HashSet<>();
    /** In memory of the running coordinator: lost at a crash. */
    private final Map<JobId, Dispatched> dispatched = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
    /** Every placement ever dispatched, {@code job#n}, across crashes: the one that would be sent twice fails. */
    private final Set<String> dispatchedPlacements = new HashSet<>();
    private final Map<JobId, Integer> placements = new HashMap<>();
    /** Acknowledged jobs not yet terminal, with the time by which they must be. */
    private final Map<JobId, Instant> owed = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
    private int seen;
    private int bids;
    private int crashes;
    private int lies;
    private int departures;

    private ExchangeSimulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.exchange = new InMemoryExchange(storage);
    }

    /** Runs {@code steps} steps of seed {@code seed}, checking the invariants after each. */
    static Run run(long seed, int steps) {
        ExchangeSimulation simulation = new ExchangeSimulation(seed);
        try {
            simulation.setUp();
            for (simulation.step = 1; simulation.step <= steps; simulation.step++) {
                simulation.step();
                simulation.checkInvariants();
            }
            simulation.drain();
            simulation.checkInvariants();
            assertThat(simulation.owed).as("every acknowledged job ended").isEmpty();
            return new Run(seed, simulation.exchange.payloads(), simulation.stats());
        } catch (AssertionError | RuntimeException broken) {
            throw new AssertionError("seed " + seed + " broke at step " + simulation.step + ": "
                    + broken.getMessage(), broken);
        } finally {
            simulation.exchange.close();
        }
    }

    private void setUp() {
        for (int i = 0; i < CONSUMERS; i++) {
            AccountId consumer = consumer(i);
            send(new OpenAccount(consumer, COUNTRIES.get(i % COUNTRIES.size()), now));
            send(new DepositCredits(consumer, "seed-" + i, MicroCredits.credits(20 + random.nextInt(200)), now));
        }
        send(new RegisterCargo(CARGOS.get(0), CargoUnit.THOUSAND_TOKENS, PUBLISHER, PricePerUnit.of(50), now));
        send(new RegisterCargo(CARGOS.get(1), CargoUnit.IMAGE, PUBLISHER, PricePerUnit.ZERO, now));
        for (int i = 0; i < 4; i++) {
            join();
        }
        observe();
    }

    private void step() {
        int roll = random.nextInt(100);
        if (roll < 34) {
            bid();
        } else if (roll < 52) {
            advance(Duration.ofMillis(1_000 + random.nextInt((int) LONGEST_STEP.toMillis() - 1_000)));
        } else if (roll < 78) {
            islandsWork();
        } else if (roll < 83) {
            consumerLeaves();
        } else if (roll < 87) {
            join();
        } else if (roll < 90) {
            leave();
        } else if (roll < 93) {
            comeBack();
        } else if (roll < 96) {
            send(new DepositCredits(consumer(random.nextInt(CONSUMERS)), "d-" + (++counter),
                    MicroCredits.credits(1 + random.nextInt(50)), now));
        } else if (roll < 98) {
            send(new RequestPayout(host(random.nextInt(3)), "p-" + (++counter),
                    MicroCredits.of(1 + random.nextInt(50_000)), now));
        } else {
            crash();
        }
        observe();
    }

    /** Moves time on until every acknowledged job must have ended, letting Islands and the sweeps work. */
    private void drain() {
        Instant until = now.plus(JOB_DEADLINE).plus(Duration.ofMinutes(130));
        while (now.isBefore(until) && !owed.isEmpty()) {
            advance(LONGEST_STEP);
            islandsWork();
            observe();
            checkInvariants();
        }
    }

    private void bid() {
        bids++;
        CargoType cargo = CARGOS.get(random.nextInt(CARGOS.size()));
        JurisdictionPolicy jurisdiction = switch (random.nextInt(5)) {
            case 0 -> JurisdictionPolicy.eu();
            case 1 -> JurisdictionPolicy.ch();
            case 2 -> JurisdictionPolicy.countries(Set.of(COUNTRIES.get(random.nextInt(COUNTRIES.size()))));
            default -> null;
        };
        Karma minKarma = random.nextInt(4) == 0 ? Karma.of(400 + random.nextInt(300)) : null;
        send(new SubmitBid(cargo, new JobId("job-" + (++counter)), consumer(random.nextInt(CONSUMERS)),
                PricePerUnit.of(300 + random.nextInt(1_500)), 1 + random.nextInt(2_000), jurisdiction, minKarma,
                null, random.nextInt(6) == 0, Duration.ofSeconds(30 + random.nextInt(600)), now, Set.of()));
    }

    /** Time passes; the coordinator's sweeps run as the bridge's and the market clock's would. */
    private void advance(Duration by) {
        now = now.plus(by);
        if (Duration.between(lastSweep, now).compareTo(SWEEP_INTERVAL) < 0) {
            return;
        }
        lastSweep = now;
        for (CargoType cargo : CARGOS) {
            send(new ExpireBids(cargo, now));
        }
        observe();
        for (Dispatched job : List.copyOf(dispatched.values())) {
            if (!job.started && now.isAfter(job.placedAt.plus(START_TIMEOUT))) {
                lose(job, "the island did not start the job in time");
            } else if (now.isAfter(job.placedAt.plus(JOB_DEADLINE))) {
                lose(job, "the job outlived its deadline");
            }
        }
    }

    /** Each Island does with its jobs what its behaviour says. */
    private void islandsWork() {
        for (Dispatched job : List.copyOf(dispatched.values())) {
            if (!dispatched.containsKey(job.placed.jobId())) {
                continue;
            }
            Behaviour behaviour = islands.get(job.placed.islandId().value());
            if (behaviour == Behaviour.STALLS || !onlineIslands.contains(job.placed.islandId().value())) {
                continue;
            }
            CargoType cargo = job.placed.cargo();
            if (!job.started) {
                if (send(new StartJob(cargo, job.placed.jobId(), 1_000 + random.nextInt(500_000), now))) {
                    job.started = true;
                }
                continue;
            }
            if (behaviour == Behaviour.DIES_MID_JOB && random.nextInt(3) == 0) {
                islandVanishes(job.placed.islandId().value());
                continue;
            }
            if (now.isBefore(job.finishesAt)) {
                continue;
            }
            long maxUnits = maxUnits(job.placed.jobId());
            if (behaviour == Behaviour.LIES_ABOUT_USAGE) {
                lies++;
                long claimed = random.nextBoolean() ? maxUnits * (2 + random.nextInt(1_000)) : -1 - random.nextInt(9);
                if (!send(new CompleteJob(cargo, job.placed.jobId(), claimed, now))) {
                    // the bridge refuses a negative count as malformed output: the job is lost on its Island
                    lose(job, "malformed result: negative units");
                }
            } else {
                send(new CompleteJob(cargo, job.placed.jobId(), random.nextLong(maxUnits + 1), now));
            }
        }
    }

    private void consumerLeaves() {
        if (dispatched.isEmpty()) {
            return;
        }
        List<Dispatched> running = List.copyOf(dispatched.values());
        Dispatched job = running.get(random.nextInt(running.size()));
        long delivered = job.started ? random.nextLong(maxUnits(job.placed.jobId()) + 1) : 0;
        send(new CancelJob(job.placed.cargo(), job.placed.jobId(), delivered, "the client went away", now));
    }

    private void join() {
        String island = "island-" + (islands.size() + 1);
        Behaviour behaviour = random.nextInt(3) == 0
                ? Behaviour.values()[1 + random.nextInt(Behaviour.values().length - 1)] : Behaviour.HONEST;
        Set<CargoType> serves = random.nextInt(3) == 0 ? Set.copyOf(CARGOS)
                : Set.of(CARGOS.get(random.nextInt(CARGOS.size())));
        IslandId islandId = new IslandId(island);
        if (!send(new RegisterIsland(islandId, host(islands.size() % 3), COUNTRIES.get(random.nextInt(
                COUNTRIES.size())), serves, 1 + random.nextInt(3), AvailabilitySchedule.ALWAYS,
                random.nextBoolean(), now))) {
            return;
        }
        islands.put(island, behaviour);
        send(new BringIslandOnline(islandId, now));
        onlineIslands.add(island);
        send(new RecordIslandRtt(islandId, 1_000L + random.nextInt(80_000), now));
        for (CargoType cargo : CARGOS) {
            if (serves.contains(cargo)) {
                send(new PlaceAsk(cargo, islandId, PricePerUnit.of(200 + random.nextInt(600)), now));
            }
        }
    }

    private void leave() {
        List<String> up = onlineIslands.stream().sorted().toList();
        if (up.isEmpty()) {
            return;
        }
        departures++;
        String island = up.get(random.nextInt(up.size()));
        onlineIslands.remove(island);
        send(new TakeIslandOffline(new IslandId(island), OfflineReason.HOST_REQUEST, now));
        loseJobsOn(island, "the island went offline");
    }

    private void islandVanishes(String island) {
        departures++;
        onlineIslands.remove(island);
        send(new TakeIslandOffline(new IslandId(island), OfflineReason.HEARTBEATS_MISSED, now));
        loseJobsOn(island, "the island missed its heartbeats");
    }

    private void comeBack() {
        List<String> down = islands.keySet().stream().filter(island -> !onlineIslands.contains(island)).toList();
        if (down.isEmpty()) {
            return;
        }
        String island = down.get(random.nextInt(down.size()));
        if (send(new BringIslandOnline(new IslandId(island), now))) {
            onlineIslands.add(island);
        }
    }

    private void loseJobsOn(String island, String reason) {
        observe();
        for (Dispatched job : List.copyOf(dispatched.values())) {
            if (job.placed.islandId().value().equals(island)) {
                lose(job, reason);
            }
        }
    }

    /** As the bridge loses a job: placed again while nothing streamed, failed once something did. */
    private void lose(Dispatched job, String reason) {
        if (!dispatched.containsKey(job.placed.jobId())) {
            return;
        }
        dispatched.remove(job.placed.jobId());
        CargoType cargo = job.placed.cargo();
        if (job.started || !send(new ReassignJob(cargo, job.placed.jobId(), reason, now))) {
            send(new FailJob(cargo, job.placed.jobId(), reason, now));
        }
        observe();
    }

    /**
     * The coordinator dies: every cache, unit of work and in-memory dispatch is gone. A new exchange starts over the
     * same store and, as the bridge does with the history it reads at start, takes over every job the store shows
     * running: those that streamed fail, the others are placed again.
     */
    private void crash() {
        crashes++;
        exchange.close();
        exchange = new InMemoryExchange(storage);
        dispatched.clear();
        Map<JobId, JobPlaced> running = new LinkedHashMap<>();
        Set<JobId> started = new HashSet<>();
        for (Object event : exchange.payloads()) {
            if (event instanceof JobPlaced placed) {
                running.put(placed.jobId(), placed);
                started.remove(placed.jobId());
            } else if (event instanceof JobStarted e) {
                started.add(e.jobId());
            } else if (event instanceof JobReassigned e) {
                running.remove(e.jobId());
            } else if (event instanceof JobCompleted e) {
                running.remove(e.jobId());
            } else if (event instanceof JobFailed e) {
                running.remove(e.jobId());
            } else if (event instanceof JobCancelled e) {
                running.remove(e.jobId());
            }
        }
        seen = exchange.payloads().size();
        String reason = "the coordinator restarted while the job ran";
        for (JobPlaced placed : running.values()) {
            if (started.contains(placed.jobId())
                    || !send(new ReassignJob(placed.cargo(), placed.jobId(), reason, now))) {
                send(new FailJob(placed.cargo(), placed.jobId(), reason, now));
            }
            observe();
        }
    }

    /** Reads the events since the last look, as the bridge and the invariants do. */
    private void observe() {
        List<Object> events = exchange.payloads();
        for (; seen < events.size(); seen++) {
            Object event = events.get(seen);
            if (event instanceof BidSubmitted submitted) {
                owed.put(submitted.jobId(), submitted.expiresAt().plus(JOB_DEADLINE).plus(SWEEP_INTERVAL)
                        .plus(LONGEST_STEP));
            } else if (event instanceof JobPlaced placed) {
                dispatch(placed);
            } else if (event instanceof JobReassigned e) {
                Dispatched job = dispatched.get(e.jobId());
                if (job != null && job.placed.islandId().equals(e.islandId())) {
                    dispatched.remove(e.jobId());
                }
            } else if (event instanceof JobCompleted e) {
                ended(e.jobId());
            } else if (event instanceof JobFailed e) {
                ended(e.jobId());
            } else if (event instanceof JobCancelled e) {
                ended(e.jobId());
            } else if (event instanceof BidExpired e) {
                ended(e.jobId());
            } else if (event instanceof BidCancelled e) {
                ended(e.jobId());
            } else if (event instanceof BidRejected e) {
                ended(e.jobId());
            }
        }
    }

    private void dispatch(JobPlaced placed) {
        int number = placements.merge(placed.jobId(), 1, Integer::sum);
        assertThat(dispatchedPlacements.add(placed.jobId().value() + "#" + number))
                .as("placement %d of %s dispatched once", number, placed.jobId()).isTrue();
        assertThat(dispatched).as("%s runs on one Island at a time", placed.jobId())
                .doesNotContainKey(placed.jobId());
        Instant finishes = now.plusSeconds(5 + random.nextInt(300));
        dispatched.put(placed.jobId(), new Dispatched(placed, now, finishes));
    }

    private void ended(JobId jobId) {
        dispatched.remove(jobId);
        owed.remove(jobId);
    }

    private void checkInvariants() {
        EventAudit.of(exchange.payloads());
        for (Map.Entry<JobId, Instant> job : owed.entrySet()) {
            assertThat(now).as("acknowledged job %s is terminal by %s", job.getKey(), job.getValue())
                    .isBeforeOrEqualTo(job.getValue());
        }
    }

    private long maxUnits(JobId jobId) {
        for (Object event : exchange.payloads()) {
            if (event instanceof BidSubmitted submitted && submitted.jobId().equals(jobId)) {
                return submitted.maxUnits();
            }
        }
        throw new IllegalStateException("no bid for " + jobId);
    }

    private Stats stats() {
        int placed = 0;
        int completed = 0;
        int failed = 0;
        int reassigned = 0;
        int cancelled = 0;
        int expired = 0;
        List<Object> events = new ArrayList<>(exchange.payloads());
        for (Object event : events) {
            placed += event instanceof JobPlaced ? 1 : 0;
            completed += event instanceof JobCompleted ? 1 : 0;
            failed += event instanceof JobFailed ? 1 : 0;
            reassigned += event instanceof JobReassigned ? 1 : 0;
            cancelled += event instanceof JobCancelled || event instanceof BidCancelled ? 1 : 0;
            expired += event instanceof BidExpired ? 1 : 0;
        }
        return new Stats(bids, placed, completed, failed, reassigned, cancelled, expired, crashes, lies, departures,
                events.size());
    }

    private boolean send(Object command) {
        try {
            exchange.gateway().sendAndWait(command);
            return true;
        } catch (IllegalArgumentException | IllegalStateException refused) {
            return false;
        } catch (RuntimeException axonRefusal) {
            if (axonRefusal.getClass().getName().startsWith("org.axonframework.modelling")) {
                return false;
            }
            throw axonRefusal;
        }
    }

    private static AccountId consumer(int i) {
        return new AccountId("consumer-" + i);
    }

    private static AccountId host(int i) {
        return new AccountId("host-" + i);
    }

    @Override
    public String toString() {
        return "simulation of seed " + seed;
    }
}

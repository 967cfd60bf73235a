package io.archipelago.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.exchange.island.api.VerifyIsland;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.Market;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoImage;
import io.archipelago.exchange.market.api.CargoResources;
import io.archipelago.exchange.market.api.CargoSignature;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.DeprecateCargoVersion;
import io.archipelago.exchange.market.api.PublishCargoVersion;
import io.archipelago.exchange.market.api.VersionManifest;
import io.archipelago.exchange.market.api.YankCargoVersion;
import io.archipelago.exchange.fixtures.Signer;
import io.archipelago.exchange.publisher.api.RegisterPublisher;
import io.archipelago.exchange.market.api.ClearMarketRate;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.RepriceAsk;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.SubmitBids;
import io.archipelago.exchange.market.api.WithdrawAsk;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random command sequences through the real aggregates on Axon: after every command money is conserved and every
 * placement and settlement keeps the market's promises ({@link EventAudit}); a command that throws leaves nothing;
 * replaying the events rebuilds identical state; the same commands always give the same events.
 */
class ExchangeProperties {

    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final List<CargoType> CARGOS = List.of(new CargoType("llm.chat"), new CargoType("img.gen"));
    private static final List<String> CONSUMERS = List.of("alice", "bob", "chloe");
    private static final List<Country> CONSUMER_HOMES = List.of(Country.of("DE"), Country.of("US"), Country.of("CH"));
    private static final List<Country> ISLAND_HOMES = List.of(Country.of("DE"), Country.of("FR"), Country.of("US"),
            Country.of("CH"), Country.of("DE"), Country.of("GB"), Country.of("CA"), Country.of("IT"));
    private static final AccountId PUBLISHER = new AccountId("publisher");
    /** Two publishers of versions, their keys made once so that two runs of the same steps sign alike. */
    private static final List<AccountId> VERSION_PUBLISHERS = List.of(new AccountId("acme"), new AccountId("beta"));
    private static final List<Signer> SIGNERS = List.of(Signer.generate(), Signer.generate());
    private static final List<CargoImage> IMAGES = List.of(
            new CargoImage("registry.example/cargo/a", "sha256:" + "a1".repeat(32)),
            new CargoImage("registry.example/cargo/b", "sha256:" + "b2".repeat(32)),
            new CargoImage("registry.example/cargo/c", "sha256:" + "c3".repeat(32)));
    /** Per publisher and image, its signature; the last publisher's last one is another's, to be refused. */
    private static final List<List<CargoSignature>> SIGNATURES = List.of(
            IMAGES.stream().map(SIGNERS.get(0)::sign).toList(),
            List.of(SIGNERS.get(1).sign(IMAGES.get(0)), SIGNERS.get(1).sign(IMAGES.get(1)),
                    SIGNERS.get(0).sign(IMAGES.get(2))));

    /** Ten to sixty steps of four random numbers each, which {@link Driver#run} turns into commands. */
    static Gen<List<List<Integer>>> scenarios() {
        return lists().of(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSize(4)).ofSizeBetween(10, 60);
    }

    /** Also checks that the generated scenarios reach placements and settlements, not only refusals. */
    @Test
    void everyStepKeepsTheMarketsPromises() {
        AtomicInteger placing = new AtomicInteger();
        AtomicInteger settling = new AtomicInteger();
        AtomicInteger versioned = new AtomicInteger();
        qt().withExamples(200).forAll(scenarios()).checkAssert(steps -> {
            EventAudit audit = everyStepKeepsTheMarketsPromises(steps);
            placing.addAndGet(audit.placements() == 0 ? 0 : 1);
            settling.addAndGet(audit.settlements() == 0 ? 0 : 1);
            versioned.addAndGet(audit.versionPlacements() == 0 ? 0 : 1);
        });
        assertThat(placing).as("scenarios that placed a job").hasPositiveValue();
        assertThat(settling).as("scenarios that settled a job").hasPositiveValue();
        assertThat(versioned).as("scenarios that placed a job on a published version").hasPositiveValue();
    }

    private static EventAudit everyStepKeepsTheMarketsPromises(List<List<Integer>> steps) {
        try (InMemoryExchange exchange = new InMemoryExchange()) {
            Driver driver = new Driver(exchange);
            driver.setUp();
            EventAudit audit = EventAudit.of(exchange.payloads());
            for (List<Integer> step : steps) {
                int before = exchange.events().size();
                boolean accepted = driver.run(step);
                List<Object> events = exchange.payloads();
                if (!accepted) {
                    assertThat(events).as("a refused command leaves nothing").hasSize(before);
                }
                audit = EventAudit.of(events);
            }
            assertReplayRebuildsTheSameState(exchange, driver);
            return audit;
        }
    }

    @Test
    void theSameCommandsAlwaysGiveTheSameEvents() {
        qt().withExamples(40).forAll(scenarios())
                .checkAssert(ExchangeProperties::theSameCommandsAlwaysGiveTheSameEvents);
    }

    private static void theSameCommandsAlwaysGiveTheSameEvents(List<List<Integer>> steps) {
        try (InMemoryExchange first = new InMemoryExchange(); InMemoryExchange second = new InMemoryExchange()) {
            Driver one = new Driver(first);
            Driver two = new Driver(second);
            one.setUp();
            two.setUp();
            steps.forEach(one::run);
            steps.forEach(two::run);
            assertThat(second.payloads()).isEqualTo(first.payloads());
        }
    }

    private static void assertReplayRebuildsTheSameState(InMemoryExchange exchange, Driver driver) {
        for (CargoType cargo : CARGOS) {
            assertThat(exchange.liveHash(Market.class, cargo.value(), Market::stateHash))
                    .isEqualTo(exchange.replayedHash(Market.class, cargo.value(), Market::stateHash));
        }
        for (String island : driver.registeredIslands) {
            assertThat(exchange.liveHash(Island.class, island, Island::stateHash))
                    .isEqualTo(exchange.replayedHash(Island.class, island, Island::stateHash));
        }
        for (String account : CONSUMERS) {
            assertThat(exchange.liveHash(Account.class, account, Account::stateHash))
                    .isEqualTo(exchange.replayedHash(Account.class, account, Account::stateHash));
        }
    }

    /** Turns four random numbers into one command on the current world; returns whether it was accepted. */
    private static final class Driver {
        private final InMemoryExchange exchange;
        private final Set<String> registeredIslands = new LinkedHashSet<>();
        private Instant now = START;
        private int counter;

        Driver(InMemoryExchange exchange) {
            this.exchange = exchange;
        }

        void setUp() {
            for (int i = 0; i < CONSUMERS.size(); i++) {
                send(new OpenAccount(new AccountId(CONSUMERS.get(i)), CONSUMER_HOMES.get(i), now));
                send(new DepositCredits(new AccountId(CONSUMERS.get(i)), "seed", MicroCredits.credits(50), now));
            }
            send(new RegisterCargo(CARGOS.get(0), CargoUnit.THOUSAND_TOKENS, PUBLISHER, PricePerUnit.of(100), now));
            send(new RegisterCargo(CARGOS.get(1), CargoUnit.IMAGE, PUBLISHER, PricePerUnit.ZERO, now));
            for (int i = 0; i < VERSION_PUBLISHERS.size(); i++) {
                send(new RegisterPublisher(VERSION_PUBLISHERS.get(i), "publisher " + i, SIGNERS.get(i).pem(), now));
            }
            for (int i = 0; i < 5; i++) {
                IslandId island = new IslandId("i" + i);
                register(island, i, 3 * i + 3);
                send(new BringIslandOnline(island, now));
                send(new RecordIslandRtt(island, 100L * (i % 3 + 1), now));
                for (CargoType cargo : CARGOS) {
                    send(new PlaceAsk(cargo, island, PricePerUnit.of(400 + 100L * i), now));
                }
            }
        }

        boolean run(List<Integer> step) {
            int op = step.get(0) % 28;
            int a = step.get(1);
            int b = step.get(2);
            int c = step.get(3);
            counter++;
            IslandId island = new IslandId("i" + a % ISLAND_HOMES.size());
            CargoType cargo = CARGOS.get(b % CARGOS.size());
            AccountId consumer = new AccountId(CONSUMERS.get(c % CONSUMERS.size()));
            return switch (op) {
                case 0 -> send(new DepositCredits(consumer, "d" + counter, MicroCredits.of(1 + b % 5_000_000L), now));
                case 1 -> register(island, a, b);
                case 2, 3 -> send(new BringIslandOnline(island, now));
                case 4 -> send(new TakeIslandOffline(island, b % 2 == 0 ? OfflineReason.HOST_REQUEST
                        : OfflineReason.HEARTBEATS_MISSED, now));
                case 5 -> send(new RecordIslandRtt(island, List.of(100L, 200L, 300L, 40_000L).get(b % 4), now));
                case 6, 7 -> send(new PlaceAsk(cargo, island, PricePerUnit.of(500 + c % 4 * 250), now));
                case 8 -> send(new RepriceAsk(cargo, island, PricePerUnit.of(500 + c % 5 * 200), now));
                case 9 -> send(new WithdrawAsk(cargo, island, now));
                case 10, 11, 17, 18, 19 -> send(bid(cargo, consumer, a, b, c));
                case 12 -> send(new SubmitBids(cargo, List.of(bid(cargo, consumer, a, b, c),
                        bid(cargo, new AccountId(CONSUMERS.get((c % 3 + 1) % 3)), b, c, a))));
                case 13, 20, 21, 22 -> endRunningJob(a, b, c);
                case 14 -> send(b % 2 == 0 ? new ExpireBids(cargo, now) : new ClearMarketRate(cargo, now));
                case 15 -> send(new RequestPayout(b % 2 == 0 ? new AccountId("host" + a % 3)
                        : a % 2 == 0 ? AccountId.PLATFORM : VERSION_PUBLISHERS.get(c % 2),
                        "p" + counter, MicroCredits.of(1 + c % 20_000), now));
                case 23, 24 -> publish(cargo, a, b, c);
                case 25 -> send(new YankCargoVersion(cargo, "v" + a % 6, VERSION_PUBLISHERS.get(c % 2), "yanked",
                        now));
                case 26 -> send(new DeprecateCargoVersion(cargo, "v" + a % 6, VERSION_PUBLISHERS.get(c % 2),
                        "superseded", now));
                default -> {
                    now = now.plus(Duration.ofMinutes(1 + a % (60 * 24 * 3)));
                    yield b % 3 == 0 && send(new VerifyIsland(island, now));
                }
            };
        }

        /** A version of {@code cargo}, sometimes in the wrong unit or signed by another key: refused then. */
        private boolean publish(CargoType cargo, int a, int b, int c) {
            int publisher = c % 2;
            int image = b % IMAGES.size();
            CargoUnit unit = a % 7 == 0 ? CargoUnit.SECOND
                    : cargo.equals(CARGOS.get(0)) ? CargoUnit.THOUSAND_TOKENS : CargoUnit.IMAGE;
            VersionManifest manifest = new VersionManifest(unit, "container", new CargoResources(1_024, 0, 1),
                    List.of("fp16"), "MIT", PricePerUnit.of(c % 4 * 60));
            return send(new PublishCargoVersion(cargo, "v" + a % 6, VERSION_PUBLISHERS.get(publisher),
                    IMAGES.get(image), manifest, SIGNATURES.get(publisher).get(image), now));
        }

        private boolean register(IslandId island, int a, int b) {
            Country country = ISLAND_HOMES.get(a % ISLAND_HOMES.size());
            AvailabilitySchedule schedule = b % 4 == 0
                    ? new AvailabilitySchedule(List.of(new AvailabilitySchedule.Window(0, 60 * 24 * 5)))
                    : AvailabilitySchedule.ALWAYS;
            Set<CargoType> serves = b % 3 == 0 ? Set.copyOf(CARGOS) : Set.of(CARGOS.get(b % 2));
            boolean accepted = send(new RegisterIsland(island, new AccountId("host" + a % 3), country, serves,
                    1 + b % 3, schedule, b % 5 == 0, now));
            if (accepted) {
                registeredIslands.add(island.value());
            }
            return accepted;
        }

        private SubmitBid bid(CargoType cargo, AccountId consumer, int a, int b, int c) {
            JurisdictionPolicy policy = switch (a % 5) {
                case 0 -> null;
                case 1 -> JurisdictionPolicy.eu();
                case 2 -> JurisdictionPolicy.ch();
                case 3 -> JurisdictionPolicy.countries(Set.of(Country.of("US"), Country.of("GB")));
                default -> JurisdictionPolicy.countries(Set.of(ISLAND_HOMES.get(b % ISLAND_HOMES.size())));
            };
            return new SubmitBid(cargo, new JobId("j" + counter + "-" + a % 7), consumer,
                    PricePerUnit.of(300 + b % 1_300), 1 + c % 2_000, policy, a % 3 == 0 ? Karma.of(520) : null,
                    b % 4 == 0 ? 250L : null, c % 6 == 0, Duration.ofMinutes(1 + c % 120), now);
        }

        private boolean endRunningJob(int a, int b, int c) {
            List<JobPlaced> running = running();
            if (running.isEmpty()) {
                return false;
            }
            JobPlaced job = running.get(a % running.size());
            return switch (b % 4) {
                case 0 -> send(new StartJob(job.cargo(), job.jobId(), c % 3_000_000, now));
                case 1 -> send(new FailJob(job.cargo(), job.jobId(), "lost", now));
                default -> send(new CompleteJob(job.cargo(), job.jobId(), c % 2_500, now));
            };
        }

        private List<JobPlaced> running() {
            List<JobPlaced> placed = new ArrayList<>();
            Set<JobId> ended = new java.util.HashSet<>();
            for (Object event : exchange.payloads()) {
                if (event instanceof JobPlaced e) {
                    placed.add(e);
                } else if (event instanceof JobCompleted e) {
                    ended.add(e.jobId());
                } else if (event instanceof JobFailed e) {
                    ended.add(e.jobId());
                }
            }
            placed.removeIf(job -> ended.contains(job.jobId()));
            return placed;
        }

        private boolean send(Object command) {
            try {
                exchange.gateway().sendAndWait(command);
                return true;
            } catch (IllegalArgumentException | IllegalStateException refused) {
                return false;
            } catch (RuntimeException axonRefusal) {
                if (axonRefusal.getClass().getName().startsWith("org.axonframework")) {
                    return false;
                }
                throw axonRefusal;
            }
        }
    }
}

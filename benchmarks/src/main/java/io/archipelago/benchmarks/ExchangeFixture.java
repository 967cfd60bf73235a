package io.archipelago.benchmarks;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.gateway.CommandGateway;

/**
 * One market with 1,000 Islands over ten countries, each with room for far more jobs than a run places, and funded
 * consumers in those countries; then a stream of mixed bids on it: home-region, EU, CH and explicit-country
 * policies, some with a karma floor, a round-trip ceiling or verified-only, limits that every Island's price meets
 * so that every bid is placed at once.
 */
final class ExchangeFixture {

    static final CargoType CARGO = new CargoType("llm.chat.bench-8b");
    static final int ISLANDS = 1_000;
    static final int SLOTS_PER_ISLAND = 10_000;
    static final int CONSUMERS = 1_000;

    private static final List<Country> COUNTRIES = List.of("DE", "FR", "NL", "IT", "ES", "PL", "SE", "CH", "GB", "US")
            .stream().map(Country::of).toList();
    private static final AccountId PUBLISHER = new AccountId("bench-publisher");
    private static final PricePerUnit ROYALTY = PricePerUnit.of(10);
    private static final long MAX_UNITS = 1_000;
    private static final long LIMIT = 5_000;

    private final CommandGateway gateway;
    private final String run;
    private final AtomicLong jobs = new AtomicLong();

    ExchangeFixture(CommandGateway gateway, String run) {
        this.gateway = gateway;
        this.run = run;
    }

    /** Opens the market, the Islands with their asks and the funded consumers, sending from a few threads. */
    void setUp() throws Exception {
        Instant at = Instant.now();
        gateway.sendAndWait(new RegisterCargo(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, at));
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < ISLANDS; i++) {
                int island = i;
                sent.add(senders.submit(() -> island(island, at)));
            }
            for (int i = 0; i < CONSUMERS; i++) {
                int consumer = i;
                sent.add(senders.submit(() -> consumer(consumer, at)));
            }
            for (Future<?> each : sent) {
                each.get();
            }
        } finally {
            senders.shutdown();
        }
    }

    private void island(int index, Instant at) {
        SplittableRandom random = new SplittableRandom(index);
        IslandId island = new IslandId(String.format("bench-island-%04d", index));
        gateway.sendAndWait(new RegisterIsland(island, new AccountId(String.format("bench-host-%04d", index)),
                COUNTRIES.get(index % COUNTRIES.size()), Set.of(CARGO), SLOTS_PER_ISLAND, AvailabilitySchedule.ALWAYS,
                random.nextInt(10) < 6, at));
        gateway.sendAndWait(new BringIslandOnline(island, at));
        gateway.sendAndWait(new RecordIslandRtt(island, 2_000 + random.nextInt(148_000), at));
        gateway.sendAndWait(new PlaceAsk(CARGO, island, PricePerUnit.of(100 + random.nextInt(1_900)), at));
    }

    private void consumer(int index, Instant at) {
        AccountId consumer = consumerId(index);
        gateway.sendAndWait(new OpenAccount(consumer, COUNTRIES.get(index % COUNTRIES.size()), at));
        // the largest deposit there is: millions of bids' escrow
        gateway.sendAndWait(new DepositCredits(consumer, "bench-deposit-" + index,
                MicroCredits.of(MoneyCaps.MAX_DEPOSIT), at));
    }

    private static AccountId consumerId(int index) {
        return new AccountId(String.format("bench-consumer-%04d", index));
    }

    /** The next bid of the stream, stamped now; safe to call from any thread. */
    SubmitBid nextBid() {
        long n = jobs.getAndIncrement();
        SplittableRandom random = new SplittableRandom(n);
        int consumer = random.nextInt(CONSUMERS);
        JurisdictionPolicy jurisdiction = switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> null;
            case 4, 5 -> JurisdictionPolicy.eu();
            case 6 -> JurisdictionPolicy.ch();
            default -> JurisdictionPolicy.countries(Set.copyOf(List.of(
                    COUNTRIES.get(random.nextInt(COUNTRIES.size())), COUNTRIES.get(random.nextInt(COUNTRIES.size())))));
        };
        Karma minKarma = random.nextInt(10) < 3 ? Karma.of(100 + random.nextInt(300)) : null;
        Long maxRtt = random.nextInt(10) < 3 ? 150_000L : null;
        boolean verifiedOnly = random.nextInt(5) == 0;
        return new SubmitBid(CARGO, new JobId(run + "-" + n), consumerId(consumer), PricePerUnit.of(LIMIT),
                1 + random.nextLong(MAX_UNITS), jurisdiction, minKarma, maxRtt, verifiedOnly, Duration.ofHours(1),
                Instant.now());
    }
}

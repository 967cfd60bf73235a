package io.archipelago.benchmarks;

import io.archipelago.command.market.BidBatcher;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.SubmitBid;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bids per second from submission to a committed placement on one market, against the PostgreSQL that
 * {@code DATABASE_URL} names, beside that server's raw rate of one-row INSERT + COMMIT measured first in the same
 * run. The coordinator application starts in this JVM on that database (no web server: bids go straight to its
 * {@link BidBatcher}, as the HTTP layer hands them over). Then:
 * <ol>
 *     <li>closed loop: {@code clients} threads each submit a bid and wait for its outcome, for several client
 *     counts; the best rate is the throughput;</li>
 *     <li>open loop at half that rate: bids are submitted on a fixed schedule whatever the answers, and each
 *     latency runs from the bid's scheduled time to its future completing, which is after its batch committed.</li>
 * </ol>
 * Beside each figure: batches and their sizes, time handling vs storing and committing, and CPU of this JVM, of
 * PostgreSQL and of the whole machine, which together say what limits the rate.
 *
 * <p>Arguments: {@code --pgdata DIR} (the server's data directory, for its CPU), optionally {@code --seconds N}
 * per phase (default 15), {@code --clients 16,64,256,1024} and {@code --properties a=1,b=2}: coordinator settings on
 * top of its own, to measure a proposed change of its wiring without editing it.
 */
public final class DurableBidBenchmark {

    /** The coordinator is started by name: its module's jar is the Spring Boot executable this driver runs inside. */
    private static final String APPLICATION = "io.archipelago.coordinator.CoordinatorApplication";

    private final CpuMeter cpu;
    private final Duration phase;
    private final List<String> properties;
    private final Path dataDirectory;

    private DurableBidBenchmark(CpuMeter cpu, Duration phase, List<String> properties, Path dataDirectory) {
        this.cpu = cpu;
        this.phase = phase;
        this.properties = properties;
        this.dataDirectory = dataDirectory;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String databaseUrl = System.getenv("DATABASE_URL");
        if (databaseUrl == null || !databaseUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("DATABASE_URL must be a jdbc:postgresql:// URL, got " + databaseUrl);
        }
        String user = System.getenv().getOrDefault("DATABASE_USER", "postgres");
        Duration phase = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "15")));
        List<Integer> clientCounts = Arrays.stream(options.getOrDefault("clients", "16,64,256,1024").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        List<String> properties = options.containsKey("properties")
                ? List.of(options.get("properties").split(",")) : List.of();
        Path pgData = Path.of(options.get("pgdata")).toAbsolutePath();
        // the coordinator's own files go beside the server's, where the script removes them with it
        DurableBidBenchmark benchmark = new DurableBidBenchmark(CpuMeter.of(pgData), phase, properties,
                pgData.resolveSibling("coordinator-data"));

        printServer(databaseUrl, user);
        RawCommits.Result raw = RawCommits.measure(databaseUrl, user, Duration.ofSeconds(3), phase);
        System.out.printf("raw INSERT + COMMIT, one connection, sequential: %,.0f commits/s; %s%n", raw.perSecond(),
                raw.latencies().summary());
        benchmark.run(raw, clientCounts);
        // Axon leaves a non-daemon janitor thread behind after the context closed; the run is over
        System.exit(0);
    }

    private void run(RawCommits.Result raw, List<Integer> clientCounts) throws Exception {
        try (ConfigurableApplicationContext coordinator = startCoordinator()) {
            CommandGateway gateway = coordinator.getBean(CommandGateway.class);
            BidBatcher batcher = coordinator.getBean(BidBatcher.class);
            BatchProbe probe = new BatchProbe();
            probe.attachTo(coordinator.getBean(CommandBus.class));

            String prefix = "b" + Long.toString(System.currentTimeMillis(), 36);
            ExchangeFixture exchange = new ExchangeFixture(gateway, prefix);
            long setUpStarted = System.nanoTime();
            exchange.setUp();
            System.out.printf("set up %,d Islands with asks and %,d funded consumers in %.1f s%n",
                    ExchangeFixture.ISLANDS, ExchangeFixture.CONSUMERS, (System.nanoTime() - setUpStarted) / 1e9);

            closedLoop(batcher, exchange, probe, 64, Duration.ofSeconds(10), "warm-up");
            double best = 0;
            int bestClients = 0;
            for (int clients : clientCounts) {
                double rate = closedLoop(batcher, exchange, probe, clients, phase, "throughput");
                if (rate > best) {
                    best = rate;
                    bestClients = clients;
                }
            }
            Latencies latencies = openLoop(batcher, exchange, probe, best / 2);

            System.out.println();
            System.out.println("summary");
            System.out.printf("  raw INSERT + COMMIT (anchor, same server, same run): %,.0f/s%n", raw.perSecond());
            System.out.printf("  placements, one market, closed loop (best at %d clients): %,.0f/s = %.0f%% of raw "
                    + "(goals: 5,000/s and 50%% of raw)%n", bestClients, best, 100 * best / raw.perSecond());
            System.out.printf("  latency at %,.0f bids/s (half of it), submission to commit: p50 %.2f ms, p99 %.2f ms "
                    + "(goal: p99 <= 10 ms)%n", best / 2, latencies.percentileMillis(50),
                    latencies.percentileMillis(99));
        }
    }

    /**
     * The coordinator as it runs in production minus what has no counterpart here: no Island connects, so the NATS
     * bridge is off (it would dispatch every placed job to an Island that never answers), and Kafka is off because
     * the only broker would be an in-process one, on the same two cores, which a production node does not carry.
     * The read-side projections run as in production, on the same database.
     */
    private ConfigurableApplicationContext startCoordinator() throws ClassNotFoundException {
        List<String> arguments = new ArrayList<>(List.of("--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--archipelago.bridge.enabled=false",
                "--archipelago.kafka.export.enabled=false",
                "--archipelago.kafka.embedded=false",
                "--archipelago.data-dir=" + dataDirectory));
        properties.forEach(property -> arguments.add("--" + property.trim()));
        System.out.println("coordinator settings: " + arguments);
        return new SpringApplicationBuilder(Class.forName(APPLICATION))
                .web(WebApplicationType.NONE)
                .run(arguments.toArray(String[]::new));
    }

    /** {@code clients} threads, each submitting a bid and waiting for its outcome, for {@code duration}. */
    private double closedLoop(BidBatcher batcher, ExchangeFixture exchange, BatchProbe probe, int clients,
                              Duration duration, String label) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder placed = new LongAdder();
        LongAdder other = new LongAdder();
        Latencies latencies = new Latencies(Latencies.capacityFor(duration));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(new Thread(() -> {
                while (running.get()) {
                    SubmitBid bid = exchange.nextBid();
                    long sent = System.nanoTime();
                    BidOutcome outcome = batcher.submit(bid).join();
                    latencies.record(System.nanoTime() - sent);
                    (outcome.status() == BidOutcome.Status.PLACED ? placed : other).increment();
                }
            }, "bench-client-" + i));
        }
        BatchProbe.Totals batchesBefore = probe.totals();
        CpuMeter.Sample cpuBefore = cpu.sample();
        long placedBefore = placed.sum();
        threads.forEach(Thread::start);
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        long placedNow = placed.sum();
        CpuMeter.Sample cpuAfter = cpu.sample();
        BatchProbe.Totals batches = probe.totals().minus(batchesBefore);
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        double rate = (placedNow - placedBefore) / ((cpuAfter.nanos() - cpuBefore.nanos()) / 1e9);
        CpuMeter.Usage usage = CpuMeter.between(cpuBefore, cpuAfter);
        System.out.printf("%s, %d clients: %,.0f placements/s (%,d not placed); round trip %s%n    %s%n    %s%n"
                        + "    CPU per placement: coordinator JVM %.0f µs, PostgreSQL %.0f µs: %,.0f placements/s "
                        + "would fill all %d cores%n",
                label, clients, rate, other.sum(), latencies.summary(), batches, usage,
                usage.jvmCores() / rate * 1e6, usage.postgresCores() / rate * 1e6,
                usage.machineCoresAvailable() / (usage.jvmCores() + usage.postgresCores()) * rate,
                usage.machineCoresAvailable());
        return rate;
    }

    /** Bids submitted at {@code rate} on a fixed schedule for one phase; latency from schedule to completion. */
    private Latencies openLoop(BidBatcher batcher, ExchangeFixture exchange, BatchProbe probe, double rate)
            throws InterruptedException {
        long interval = (long) (1e9 / rate);
        long count = (long) (rate * phase.toSeconds());
        Latencies latencies = new Latencies((int) count + 1);
        LongAdder notPlaced = new LongAdder();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        BatchProbe.Totals batchesBefore = probe.totals();
        CpuMeter.Sample cpuBefore = cpu.sample();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long scheduled = start + i * interval;
            for (long wait = scheduled - System.nanoTime(); wait > 0; wait = scheduled - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            pending.add(batcher.submit(exchange.nextBid()).whenComplete((outcome, failure) -> {
                latencies.record(System.nanoTime() - scheduled);
                if (failure != null || outcome.status() != BidOutcome.Status.PLACED) {
                    notPlaced.increment();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        CpuMeter.Sample cpuAfter = cpu.sample();
        System.out.printf("latency, open loop at %,.0f bids/s: %s (%,d not placed)%n    %s%n    %s%n", rate,
                latencies.summary(), notPlaced.sum(), probe.totals().minus(batchesBefore),
                CpuMeter.between(cpuBefore, cpuAfter));
        return latencies;
    }

    private static void printServer(String databaseUrl, String user) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, user, null);
             Statement statement = connection.createStatement()) {
            StringBuilder settings = new StringBuilder();
            for (String setting : List.of("server_version", "fsync", "synchronous_commit", "wal_sync_method",
                    "full_page_writes", "shared_buffers", "max_wal_size")) {
                try (ResultSet result = statement.executeQuery("show " + setting)) {
                    result.next();
                    settings.append(settings.isEmpty() ? "" : ", ").append(setting).append('=')
                            .append(result.getString(1));
                }
            }
            System.out.println("PostgreSQL: " + settings);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (!options.containsKey("pgdata")) {
            throw new IllegalArgumentException("--pgdata DIR names the server's data directory");
        }
        return options;
    }
}

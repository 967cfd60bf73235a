package io.archipelago.bridge;

import com.sun.management.OperatingSystemMXBean;
import io.archipelago.bridge.nats.LocalNatsServer;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.NKeyAuth;
import io.archipelago.protocol.Probe;
import io.archipelago.protocol.ProbeReply;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints what probing many Islands costs one bridge: {@link #ISLANDS} Islands (answered by one responder
 * connection, as a NATS cluster would carry them from many machines), probed every second for
 * {@link #SECONDS} seconds, with the probes answered, the RTT commands the market would get, and the CPU this JVM
 * (bridge and responder) used. Figures only. Run: {@code scripts/bench-bridge.sh}.
 */
class ManyIslandsBenchmark {

    private static final int ISLANDS = 2_000;
    private static final int SECONDS = 10;

    @TempDir
    Path directory;

    @Test
    void printsTheCostOfProbingManyIslands() throws Exception {
        try (LocalNatsServer server = LocalNatsServer.start(directory, 0);
             Connection coordinator = connect(server);
             Connection islands = connect(server)) {
            AtomicLong answered = new AtomicLong();
            islands.createDispatcher(message -> {
                try {
                    Probe probe = Codec.decode(message.getData(), Probe.class);
                    String island = message.getSubject().split("\\.")[1];
                    islands.publish(message.getReplyTo(), Codec.encode(new ProbeReply(Codec.VERSION, island,
                            probe.nonce(), 0)));
                    answered.incrementAndGet();
                } catch (Exception malformed) {
                    throw new IllegalStateException(malformed);
                }
            }).subscribe("island.*.probe");
            islands.flush(Duration.ofSeconds(5));
            AtomicLong rttCommands = new AtomicLong();
            AtomicLong offline = new AtomicLong();
            CommandSender market = command -> {
                if (command instanceof RecordIslandRtt) {
                    rttCommands.incrementAndGet();
                } else if (command instanceof TakeIslandOffline) {
                    offline.incrementAndGet();
                }
                return CompletableFuture.completedFuture(null);
            };
            BridgeSettings settings = new BridgeSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
                    Duration.ofSeconds(3), Duration.ofSeconds(15), Duration.ofMinutes(10), Duration.ofMinutes(5),
                    Duration.ofMillis(100));
            try (IslandBridge bridge = new IslandBridge(coordinator, market, Clock.systemUTC(), settings,
                    new MemoryInputStore().inputs(Clock.systemUTC()))) {
                for (int i = 0; i < ISLANDS; i++) {
                    IslandId island = new IslandId("island-" + i);
                    bridge.on(new IslandRegistered(island, new AccountId("host-" + i), Country.of("DE"),
                            Set.of(new CargoType("llm.chat.demo")), 4, AvailabilitySchedule.ALWAYS, false,
                            Karma.INITIAL, Instant.now()));
                    bridge.on(new IslandWentOnline(island, Instant.now()));
                }
                OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                bridge.start();
                await(Duration.ofSeconds(5));
                long firstReports = rttCommands.get();
                long cpuBefore = os.getProcessCpuTime();
                long answeredBefore = answered.get();
                long start = System.nanoTime();
                await(Duration.ofSeconds(SECONDS));
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
                long[] means = new long[ISLANDS];
                for (int i = 0; i < ISLANDS; i++) {
                    means[i] = bridge.rtt("island-" + i).orElseThrow().meanMicros();
                }
                Arrays.sort(means);
                System.out.printf("%d islands probed every 1 s: %.0f probes answered/s, JVM CPU %.0f%% of one core"
                                + " (bridge + responder), %d taken offline%n", ISLANDS,
                        (answered.get() - answeredBefore) / seconds, 100 * cpu / seconds, offline.get());
                System.out.printf("RTT commands to the market: %d in the first 5 s, %d in the next %.0f s"
                                + " (%.0f probes answered meanwhile); Islands' mean RTT p50 %d us, p99 %d us%n",
                        firstReports, rttCommands.get() - firstReports, seconds,
                        (double) (answered.get() - answeredBefore), means[ISLANDS / 2],
                        means[(int) (ISLANDS * 0.99)]);
            }
        }
    }

    private static Connection connect(LocalNatsServer server) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url())
                .authHandler(NKeyAuth.fromSeed(server.coordinatorSeed())).build());
    }

    /** Lets the bridge run for {@code duration} without a sleep: a future that nobody completes, timed out. */
    private static void await(Duration duration) throws Exception {
        try {
            new CompletableFuture<Void>().get(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException elapsed) {
            // the measuring window is over
        }
    }
}

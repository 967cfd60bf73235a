package io.archipelago.bridge;

import io.archipelago.bridge.nats.LocalNatsServer;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.UnitPrice;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.NKeyAuth;
import io.archipelago.protocol.Probe;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints, from one run on one nats-server, the latency of a raw NATS request/reply and of a job's dispatch round
 * trip through the bridge: the placed job handed to the bridge, offered to an Island, accepted, answered with one
 * chunk and the final message, ordered and turned into a CompleteJob. Sequential, after a warm-up; figures only,
 * nothing asserted. Run: {@code scripts/bench-bridge.sh}.
 */
class BridgeRoundTripBenchmark {

    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 5_000;

    @TempDir
    Path directory;

    @Test
    void printsRawRequestReplyBesideTheBridgesDispatchRoundTrip() throws Exception {
        try (LocalNatsServer server = LocalNatsServer.start(directory, 0);
             FakeIsland island = new FakeIsland(server, "bench-island");
             Connection coordinator = Nats.connect(new Options.Builder().server(server.url())
                     .authHandler(NKeyAuth.fromSeed(server.coordinatorSeed())).build())) {
            island.answersJobs = true;
            long[] raw = rawRequestReply(server, coordinator);
            long[] bridge = dispatchRoundTrip(coordinator);
            System.out.printf("raw NATS request/reply:   p50 %6d us  p99 %6d us  (%d sequential)%n",
                    percentile(raw, 50), percentile(raw, 99), MEASURED);
            System.out.printf("bridge dispatch round trip: p50 %6d us  p99 %6d us  (%d sequential)%n",
                    percentile(bridge, 50), percentile(bridge, 99), MEASURED);
            System.out.printf("ratio: p50 %.2fx  p99 %.2fx%n", (double) percentile(bridge, 50) / percentile(raw, 50),
                    (double) percentile(bridge, 99) / percentile(raw, 99));
        }
    }

    /** Plain request/reply into the requester's inbox, answered at once by a second connection. */
    private static long[] rawRequestReply(LocalNatsServer server, Connection coordinator) throws Exception {
        byte[] body = Codec.encode(new Probe(Codec.VERSION, 1));
        long[] micros = new long[MEASURED];
        try (Connection responder = Nats.connect(new Options.Builder().server(server.url())
                .authHandler(NKeyAuth.fromSeed(server.coordinatorSeed())).build())) {
            responder.createDispatcher(message -> responder.publish(message.getReplyTo(), message.getData()))
                    .subscribe("bench.echo");
            responder.flush(Duration.ofSeconds(5));
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                long start = System.nanoTime();
                if (coordinator.request("bench.echo", body, Duration.ofSeconds(5)) == null) {
                    throw new IllegalStateException("the echo did not answer");
                }
                if (i >= WARM_UP) {
                    micros[i - WARM_UP] = (System.nanoTime() - start) / 1_000;
                }
            }
        }
        return micros;
    }

    private static long[] dispatchRoundTrip(Connection coordinator) throws Exception {
        Map<JobId, CompletableFuture<Void>> completions = new ConcurrentHashMap<>();
        CommandSender market = command -> {
            if (command instanceof CompleteJob complete) {
                completions.get(complete.jobId()).complete(null);
            }
            return CompletableFuture.completedFuture(null);
        };
        BridgeSettings settings = new BridgeSettings(Duration.ofHours(1), Duration.ofSeconds(1), 3,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1),
                Duration.ofMillis(100));
        long[] micros = new long[MEASURED];
        try (IslandBridge bridge = new IslandBridge(coordinator, market, Clock.systemUTC(), settings,
                new MemoryInputStore().inputs(Clock.systemUTC()))) {
            bridge.start();
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                JobId jobId = new JobId("job-" + i);
                CompletableFuture<Void> completed = new CompletableFuture<>();
                completions.put(jobId, completed);
                long start = System.nanoTime();
                bridge.on(new JobPlaced(new CargoType("llm.chat.demo"), jobId, new AccountId("consumer"),
                        new IslandId("bench-island"), new AccountId("host"), new UnitPrice(PricePerUnit.of(10),
                        PricePerUnit.of(1), PricePerUnit.of(1)), 100, Karma.INITIAL, Instant.now()), null);
                completed.get(5, TimeUnit.SECONDS);
                if (i >= WARM_UP) {
                    micros[i - WARM_UP] = (System.nanoTime() - start) / 1_000;
                }
                completions.remove(jobId);
            }
        }
        return micros;
    }

    private static long percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}

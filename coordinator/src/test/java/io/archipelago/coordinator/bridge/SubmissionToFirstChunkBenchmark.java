package io.archipelago.coordinator.bridge;

import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.access.TestCredentials;
import io.archipelago.exchange.market.api.SubmitBid;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints what a consumer waits for through the whole coordinator: from a bid's submission (command sent) to the
 * first chunk of its job at an in-process subscriber, through the market, the event store (PostgreSQL, fsync off),
 * the bridge's event processor, NATS and an Island agent on the demo runtime; sequential, p50 and p99. Then a burst
 * of concurrent jobs on four Islands: how many ran at once and how long the burst took. Figures only, nothing
 * asserted. Run: {@code scripts/bench-bridge.sh}.
 */
class SubmissionToFirstChunkBenchmark {

    private static final int WARM_UP = 100;
    private static final int MEASURED = 500;
    private static final int BURST = 400;

    @TempDir
    Path dataDir;

    @Test
    void printsSubmissionToFirstChunkAndAConcurrentBurst() throws Exception {
        try (BridgedCoordinator coordinator = BridgedCoordinator.start(dataDir,
                Map.of("logging.level.io.archipelago.bridge", "WARN")).openMarket()) {
            List<IslandAgent> agents = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                agents.add(IslandAgent.start(new AgentSettings("bench-" + i, "host-bench-" + i, "DE",
                        Map.of(BridgedCoordinator.CARGO.value(), 1_000L), 128, List.of(), coordinator.url(), null,
                        "demo", null, null, i == 0 ? Duration.ZERO : Duration.ofMillis(50))
                        .withKey(TestCredentials.OPERATOR_TOKEN)));
            }
            try {
                sequential(coordinator);
                burst(coordinator);
            } finally {
                agents.forEach(IslandAgent::close);
            }
        }
    }

    /** Island bench-0 streams without pauses and is the nearest once measured; each job waits for the last. */
    private static void sequential(BridgedCoordinator coordinator) throws Exception {
        CommandGateway gateway = coordinator.bean(CommandGateway.class);
        long[] micros = new long[MEASURED];
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            String jobId = "seq-" + i;
            CompletableFuture<Long> firstChunk = new CompletableFuture<>();
            coordinator.bridge().streams().subscribe(jobId, listener(firstChunk, null));
            SubmitBid bid = coordinator.bid(jobId);
            long start = System.nanoTime();
            gateway.send(bid);
            long arrived = firstChunk.get(30, TimeUnit.SECONDS);
            if (i >= WARM_UP) {
                micros[i - WARM_UP] = (arrived - start) / 1_000;
            }
        }
        Arrays.sort(micros);
        System.out.printf("submission -> first chunk: p50 %d us  p99 %d us  max %d us  (%d sequential jobs)%n",
                micros[MEASURED / 2], micros[(int) Math.ceil(MEASURED * 0.99) - 1], micros[MEASURED - 1], MEASURED);
    }

    /** {@link #BURST} bids at once, spread by the market over four Islands of 128 slots, each job ~0.5 s long. */
    private static void burst(BridgedCoordinator coordinator) throws Exception {
        CommandGateway gateway = coordinator.bean(CommandGateway.class);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<CompletableFuture<Long>> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < BURST; i++) {
            String jobId = "burst-" + i;
            CompletableFuture<Long> completed = new CompletableFuture<>();
            CompletableFuture<Long> firstChunk = new CompletableFuture<>();
            firstChunk.thenRun(() -> peak.accumulateAndGet(running.incrementAndGet(), Math::max));
            completed.thenRun(running::decrementAndGet);
            done.add(completed);
            coordinator.bridge().streams().subscribe(jobId, listener(firstChunk, completed));
            gateway.send(coordinator.bid(jobId));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("burst: %d jobs on 4 islands, at most %d streaming at once, all settled in %d ms%n", BURST,
                peak.get(), millis);
    }

    private static JobStreamListener listener(CompletableFuture<Long> firstChunk,
                                              CompletableFuture<Long> completed) {
        return new JobStreamListener() {
            @Override
            public void onChunk(StreamChunk chunk) {
                firstChunk.complete(System.nanoTime());
            }

            @Override
            public void onCompleted(long units) {
                if (completed != null) {
                    completed.complete(System.nanoTime());
                }
            }

            @Override
            public void onFailed(String reason) {
                firstChunk.completeExceptionally(new IllegalStateException(reason));
                if (completed != null) {
                    completed.completeExceptionally(new IllegalStateException(reason));
                }
            }
        };
    }
}

package io.archipelago.coordinator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archipelago.agent.IslandAgent;
import io.archipelago.bridge.IslandRtt;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.demo.DelayingProxy;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.protocol.Codec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Islands in Germany at the same price, one reaching NATS directly and one through a proxy that adds 25 ms each
 * way: the probes measure the difference, the market hears it, and a bid goes to the nearer one, whose tokens
 * stream back and settle the job.
 */
class PlacementByRoundTripTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static BridgedCoordinator coordinator;
    private static DelayingProxy proxy;
    private static IslandAgent near;
    private static IslandAgent far;

    @BeforeAll
    static void start() throws Exception {
        coordinator = BridgedCoordinator.start(dataDir, Map.of()).openMarket();
        URI nats = URI.create(coordinator.nats().url());
        proxy = new DelayingProxy(new InetSocketAddress(nats.getHost(), nats.getPort()), Duration.ofMillis(25));
        far = coordinator.island("far-1", "DE", 1_000, proxy.natsUrl());
        near = coordinator.island("near-1", "DE", 1_000, null);
    }

    @AfterAll
    static void stop() {
        near.close();
        far.close();
        proxy.close();
        coordinator.close();
    }

    @Test
    void theNearerIslandWinsAndStreamsTheJobToCompletion() {
        await().atMost(WAIT).until(() -> coordinator.eventsMentioning("far-1").contains("IslandRttMeasured")
                && coordinator.eventsMentioning("near-1").contains("IslandRttMeasured"));
        IslandRtt nearRtt = coordinator.bridge().rtt("near-1").orElseThrow();
        IslandRtt farRtt = coordinator.bridge().rtt("far-1").orElseThrow();
        System.out.printf("measured RTT: near-1 %d us (jitter %d), far-1 %d us (jitter %d)%n", nearRtt.meanMicros(),
                nearRtt.jitterMicros(), farRtt.meanMicros(), farRtt.jitterMicros());
        assertThat(farRtt.meanMicros()).isGreaterThan(nearRtt.meanMicros() + 40_000);

        List<StreamChunk> chunks = new CopyOnWriteArrayList<>();
        List<Long> completed = new CopyOnWriteArrayList<>();
        coordinator.bridge().inputs().put("job-1", Codec.json().createObjectNode().put("prompt", "near or far"));
        coordinator.bridge().streams().subscribe("job-1", new JobStreamListener() {
            @Override
            public void onChunk(StreamChunk chunk) {
                chunks.add(chunk);
            }

            @Override
            public void onCompleted(long units) {
                completed.add(units);
            }

            @Override
            public void onFailed(String reason) {
                throw new AssertionError(reason);
            }
        });
        BidOutcome outcome = coordinator.send(coordinator.bid("job-1"));

        assertThat(outcome.islandId()).isEqualTo(new IslandId("near-1"));
        await().atMost(WAIT).until(() -> completed.size() == 1);
        assertThat(String.join("", chunks.stream().map(StreamChunk::text).toList()))
                .isEqualTo("[demo] Island near-1 heard 3 words: far or near.");
        assertThat(completed).containsExactly(1L);
        assertThat(coordinator.eventsMentioning("job-1"))
                .containsSubsequence("BidSubmitted", "JobPlaced", "JobStarted", "JobCompleted");
    }
}

package io.archipelago.coordinator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archipelago.agent.IslandAgent;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.demo.DelayingProxy;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Islands that fail their jobs: one that stalls, one that answers garbage, one killed with {@code kill -9} while it
 * streams. Each fault Island is the nearest, so the market places on it first; a well-behaved backup Island farther
 * away (a 20 ms delaying proxy) is there to take over. A job that streamed nothing moves to the backup and
 * completes; a job that streamed fails and is refunded; the faulty Island's karma records every loss; and every
 * job ends in a terminal state.
 */
class IslandFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private static BridgedCoordinator coordinator;
    private static DelayingProxy proxy;
    private static IslandAgent backup;
    private final List<String> submitted = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        coordinator = BridgedCoordinator.start(dataDir, Map.of("archipelago.bridge.stall-timeout", "1s")).openMarket();
        URI nats = URI.create(coordinator.nats().url());
        proxy = new DelayingProxy(new InetSocketAddress(nats.getHost(), nats.getPort()), Duration.ofMillis(20));
        backup = coordinator.island("backup-1", "DE", 1_000, proxy.natsUrl());
    }

    @AfterAll
    static void stop() {
        backup.close();
        proxy.close();
        coordinator.close();
    }

    /** No job is left behind: each one submitted here reached a terminal state and the bridge holds none. */
    @AfterEach
    void everyJobEnded() {
        for (String jobId : submitted) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(coordinator.eventsMentioning(jobId))
                    .containsAnyOf("JobCompleted", "JobFailed", "BidExpired"));
        }
        await().atMost(WAIT).until(() -> coordinator.bridge().runningJobs() == 0);
    }

    private BidOutcome submit(String jobId) {
        submitted.add(jobId);
        return coordinator.send(coordinator.bid(jobId));
    }

    private static void awaitMeasured(String islandId) {
        await().atMost(WAIT).until(() -> coordinator.eventsMentioning(islandId).contains("IslandRttMeasured")
                && coordinator.eventsMentioning("backup-1").contains("IslandRttMeasured"));
    }

    @Test
    void aJobOnAStalledIslandMovesToTheNextOneAndCompletes() throws Exception {
        try (RogueIsland stalled = new RogueIsland(coordinator.url(), "stalled-1", BridgedCoordinator.CARGO.value(),
                1_000, RogueIsland.Misdeed.STALL)) {
            awaitMeasured("stalled-1");

            assertThat(submit("job-stall").islandId()).isEqualTo(new IslandId("stalled-1"));

            await().atMost(WAIT).until(() -> coordinator.eventsMentioning("job-stall").contains("JobCompleted"));
            assertThat(coordinator.eventsMentioning("job-stall")).containsSubsequence("JobPlaced", "JobReassigned",
                    "JobPlaced", "JobStarted", "JobCompleted").doesNotContain("JobFailed");
            assertThat(stalled.jobs).containsExactly("job-stall");
            assertThat(karmaLossesOf("stalled-1")).isEqualTo(1);
        }
    }

    @Test
    void aJobOnAnIslandAnsweringGarbageMovesToTheNextOneAndCompletes() throws Exception {
        try (RogueIsland garbage = new RogueIsland(coordinator.url(), "garbage-1", BridgedCoordinator.CARGO.value(),
                1_000, RogueIsland.Misdeed.MALFORMED)) {
            awaitMeasured("garbage-1");

            assertThat(submit("job-garbage").islandId()).isEqualTo(new IslandId("garbage-1"));

            await().atMost(WAIT).until(() -> coordinator.eventsMentioning("job-garbage").contains("JobCompleted"));
            assertThat(coordinator.eventsMentioning("job-garbage")).containsSubsequence("JobPlaced", "JobReassigned",
                    "JobPlaced", "JobCompleted");
            assertThat(garbage.jobs).containsExactly("job-garbage");
            assertThat(karmaLossesOf("garbage-1")).isEqualTo(1);
        }
    }

    @Test
    void aJobWhoseIslandIsKilledWhileStreamingFailsAndIsRefunded() throws Exception {
        try (AgentProcess victim = new AgentProcess(dataDir, "victim-1", coordinator.url(),
                BridgedCoordinator.CARGO.value(), 1_000, 300)) {
            awaitMeasured("victim-1");
            List<StreamChunk> chunks = new CopyOnWriteArrayList<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            coordinator.bridge().streams().subscribe("job-killed", new JobStreamListener() {
                @Override
                public void onChunk(StreamChunk chunk) {
                    chunks.add(chunk);
                }

                @Override
                public void onCompleted(long units) {
                    failures.add("completed, though its island was killed");
                }

                @Override
                public void onFailed(String reason) {
                    failures.add(reason);
                }
            });

            assertThat(submit("job-killed").islandId()).isEqualTo(new IslandId("victim-1"));
            await().atMost(WAIT).until(() -> !chunks.isEmpty());
            victim.kill();

            await().atMost(WAIT).until(() -> coordinator.eventsMentioning("job-killed").contains("JobFailed"));
            assertThat(coordinator.eventsMentioning("job-killed")).containsSubsequence("JobPlaced", "JobStarted",
                    "JobFailed", "CreditsReleased").doesNotContain("JobReassigned", "JobCompleted");
            assertThat(coordinator.eventsMentioning("victim-1")).contains("IslandWentOffline");
            assertThat(coordinator.jdbc().queryForObject("select count(*) from domain_event_entry where"
                    + " convert_from(payload, 'UTF8') like '%\"victim-1\"%' and convert_from(payload, 'UTF8')"
                    + " like '%HEARTBEATS_MISSED%'", Integer.class)).isEqualTo(1);
            assertThat(karmaLossesOf("victim-1")).isEqualTo(1);
            await().atMost(WAIT).until(() -> failures.size() == 1);
            assertThat(failures.get(0)).contains("heartbeats");
        }
    }

    /** KarmaChanged events of the Island for a failed job. */
    private static int karmaLossesOf(String islandId) {
        return coordinator.jdbc().queryForObject("select count(*) from domain_event_entry where payload_type like"
                + " '%KarmaChanged' and convert_from(payload, 'UTF8') like ? and convert_from(payload, 'UTF8')"
                + " like '%JOB_FAILED%'", Integer.class, "%\"" + islandId + "\"%");
    }
}

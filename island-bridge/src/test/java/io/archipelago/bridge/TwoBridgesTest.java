package io.archipelago.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static io.archipelago.bridge.IslandBridgeTest.CARGO;
import static io.archipelago.bridge.IslandBridgeTest.T0;
import static io.archipelago.bridge.IslandBridgeTest.WAIT;
import static io.archipelago.bridge.IslandBridgeTest.completed;
import static io.archipelago.bridge.IslandBridgeTest.placed;
import static org.awaitility.Awaitility.await;

import io.archipelago.bridge.nats.LocalNatsServer;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.market.api.FailPipeline;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobStarted;
import io.archipelago.exchange.market.api.PipelinePlaced;
import io.archipelago.exchange.market.api.ReassignJob;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.RejectedMessage;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator nodes' bridges on one NATS, both reading every event: each placement reaches its Island once, from
 * the node that claimed it; the output reaches a client on the other node; the jobs of a node that stops are taken
 * over by the other, failed when they had streamed and placed again when not.
 */
class TwoBridgesTest {

    @TempDir
    static Path directory;

    private static LocalNatsServer server;
    private final MemoryCluster.Shared cluster = new MemoryCluster.Shared();
    private final MemoryInputStore inputStore = new MemoryInputStore();
    private Node a;
    private Node b;

    /** One node's bridge with its own NATS connection and market. */
    private final class Node implements AutoCloseable {
        final Connection nats;
        final RecordingCommands commands = new RecordingCommands();
        final IslandBridge bridge;
        private boolean closed;

        Node(String name) throws Exception {
            nats = IslandBridgeTest.coordinatorConnection(server);
            Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
            bridge = new IslandBridge(nats, commands, clock, IslandBridgeTest.SETTINGS, inputStore.inputs(clock),
                    new MemoryCluster(name, cluster));
            bridge.start();
        }

        @Override
        public void close() throws InterruptedException {
            if (closed) {
                return;
            }
            closed = true;
            bridge.close();
            nats.close();
        }
    }

    @BeforeAll
    static void startNats() {
        server = LocalNatsServer.start(directory, 0);
    }

    @AfterAll
    static void stopNats() {
        server.close();
    }

    @BeforeEach
    void startNodes() throws Exception {
        a = new Node("node-a");
        b = new Node("node-b");
    }

    @AfterEach
    void stopNodes() throws InterruptedException {
        a.close();
        b.close();
    }

    @Test
    void eachPlacementReachesItsIslandOnceAndItsOutputTheClientOnTheOtherNode() throws Exception {
        try (FakeIsland island = new FakeIsland(server, "island-1")) {
            RecordingListener client = new RecordingListener();
            b.bridge.streams().subscribe("job-1", client);

            a.bridge.on(placed("job-1", "island-1"), null);
            b.bridge.on(placed("job-1", "island-1"), null);
            await().atMost(WAIT).until(() -> island.offers.size() == 1);
            // only the node that dispatched the job hears the Island's output for it
            assertThat(a.bridge.heardOutputSubjects()).isEqualTo(1);
            assertThat(b.bridge.heardOutputSubjects()).isZero();
            island.send(JobOutput.chunk("job-1", 1, "world"));
            island.send(JobOutput.chunk("job-1", 0, "Hello, "));
            island.send(JobOutput.done("job-1", 2, 7));

            await().atMost(WAIT).until(() -> a.commands.of(CompleteJob.class).size() == 1);
            await().atMost(WAIT).until(() -> client.chunks.size() == 2);
            assertThat(client.texts()).containsExactly("Hello, ", "world");
            assertThat(a.commands.of(StartJob.class)).hasSize(1);
            assertThat(b.commands.sent).isEmpty();
            assertThat(b.bridge.rejections().count(RejectedMessage.Reason.UNEXPECTED)).isZero();
            assertThat(b.bridge.rejections().duplicates()).isZero();
            assertThat(a.bridge.heardOutputSubjects()).isZero();

            JobCompleted completed = completed("job-1", "island-1", 7);
            a.bridge.on(completed, null);
            b.bridge.on(completed, null);
            await().atMost(WAIT).until(() -> client.completedUnits != null);
            assertThat(island.offers).hasSize(1);
        }
    }

    @Test
    void aClientJoiningLateOnAnotherNodeGetsTheWholeStreamInOrder() throws Exception {
        try (FakeIsland island = new FakeIsland(server, "island-3")) {
            a.bridge.on(placed("job-3", "island-3"), null);
            b.bridge.on(placed("job-3", "island-3"), null);
            await().atMost(WAIT).until(() -> island.offers.size() == 1);
            island.send(JobOutput.chunk("job-3", 0, "one "));
            island.send(JobOutput.chunk("job-3", 1, "two "));
            await().atMost(WAIT).until(() -> a.bridge.streams().released("job-3", 0, 10)
                    .map(List::size).orElse(0) == 2);

            // b follows only now: it asks a for what was released before, and takes it ahead of what comes live
            RecordingListener late = new RecordingListener();
            b.bridge.streams().subscribe("job-3", late);
            island.send(JobOutput.chunk("job-3", 2, "three"));
            island.send(JobOutput.done("job-3", 3, 3));
            await().atMost(WAIT).until(() -> a.commands.of(CompleteJob.class).size() == 1);
            JobCompleted completed = completed("job-3", "island-3", 3);
            a.bridge.on(completed, null);
            b.bridge.on(completed, null);

            await().atMost(WAIT).until(() -> late.completedUnits != null);
            assertThat(late.texts()).containsExactly("one ", "two ", "three");
            assertThat(late.completedUnits).isEqualTo(3);
            // only the node that dispatched the job holds its stream whole; b does not answer for it
            assertThat(b.bridge.streams().released("job-3", 0, 10)).isEmpty();
        }
    }

    @Test
    void aLongHistoryComesPageByPage() throws Exception {
        int chunks = StreamRelay.PAGE_CHUNKS * 2 + 500;
        try (FakeIsland island = new FakeIsland(server, "island-5")) {
            a.bridge.on(placed("job-5", "island-5"), null);
            b.bridge.on(placed("job-5", "island-5"), null);
            await().atMost(WAIT).until(() -> island.offers.size() == 1);
            for (int seq = 0; seq < chunks; seq++) {
                island.send(JobOutput.chunk("job-5", seq, seq + " "));
            }
            await().atMost(WAIT).until(() -> a.bridge.streams().released("job-5", 0, chunks)
                    .map(List::size).orElse(0) == chunks);

            RecordingListener late = new RecordingListener();
            b.bridge.streams().subscribe("job-5", late);
            island.send(JobOutput.done("job-5", chunks, chunks));
            await().atMost(WAIT).until(() -> a.commands.of(CompleteJob.class).size() == 1);
            JobCompleted completed = completed("job-5", "island-5", chunks);
            b.bridge.on(completed, null);

            await().atMost(WAIT).until(() -> late.completedUnits != null);
            assertThat(late.chunks).extracting(chunk -> chunk.seq())
                    .containsExactlyElementsOf(LongStream.range(0, chunks).boxed().toList());
        }
    }

    @Test
    void aFollowerWhoseJobNobodyDispatchedGoesOnWithoutHistory() throws Exception {
        RecordingListener early = new RecordingListener();
        b.bridge.streams().subscribe("job-4", early);
        try (FakeIsland island = new FakeIsland(server, "island-4")) {
            a.bridge.on(placed("job-4", "island-4"), null);
            b.bridge.on(placed("job-4", "island-4"), null);
            await().atMost(WAIT).until(() -> island.offers.size() == 1);
            island.send(JobOutput.chunk("job-4", 0, "from the start"));
            island.send(JobOutput.done("job-4", 1, 1));
            await().atMost(WAIT).until(() -> a.commands.of(CompleteJob.class).size() == 1);
            JobCompleted completed = completed("job-4", "island-4", 1);
            a.bridge.on(completed, null);
            b.bridge.on(completed, null);

            await().atMost(WAIT).until(() -> early.completedUnits != null);
            assertThat(early.texts()).containsExactly("from the start");
        }
    }

    @Test
    void theJobsOfANodeThatStoppedAreTakenOverByAnother() throws Exception {
        try (FakeIsland island = new FakeIsland(server, "island-2")) {
            for (String job : new String[] {"job-2a", "job-2b"}) {
                a.bridge.on(placed(job, "island-2"), null);
                b.bridge.on(placed(job, "island-2"), null);
            }
            await().atMost(WAIT).until(() -> island.offers.size() == 2);
            island.send(JobOutput.chunk("job-2a", 0, "streamed"));
            await().atMost(WAIT).until(() -> a.commands.of(StartJob.class).size() == 1);
            b.bridge.on(new JobStarted(CARGO, new JobId("job-2a"), new IslandId("island-2"), 0, T0));

            a.close();
            cluster.live.remove("node-a");

            await().atMost(WAIT).until(() -> b.commands.of(FailJob.class).size() == 1
                    && b.commands.of(ReassignJob.class).size() == 1);
            assertThat(b.commands.of(FailJob.class).get(0).jobId()).isEqualTo(new JobId("job-2a"));
            assertThat(b.commands.of(ReassignJob.class).get(0).jobId()).isEqualTo(new JobId("job-2b"));
            assertThat(b.commands.of(FailJob.class).get(0).reason()).contains("stopped");
            assertThat(island.offers).hasSize(2);
        }
    }

    @Test
    void aPipelineJobOfANodeThatStoppedIsFailedOnceByAnotherWithNoStageBlamed() throws Exception {
        try (FakeIsland first = new FakeIsland(server, "island-p2a");
             FakeIsland last = new FakeIsland(server, "island-p2b")) {
            PipelinePlaced placed = IslandBridgeTest.pipelinePlaced("job-p2", "island-p2a", "island-p2b");
            a.bridge.on(placed, null);
            b.bridge.on(placed, null);
            await().atMost(WAIT).until(() -> first.offers.size() == 1 && last.offers.size() == 1);

            a.close();
            cluster.live.remove("node-a");

            await().atMost(WAIT).until(() -> b.commands.of(FailPipeline.class).size() == 1);
            FailPipeline failed = b.commands.of(FailPipeline.class).get(0);
            assertThat(failed.jobId()).isEqualTo(new JobId("job-p2"));
            assertThat(failed.fault()).isNull();
            assertThat(failed.reason()).contains("stopped");
            assertThat(a.commands.of(FailPipeline.class)).isEmpty();
            // both stages' Islands are told to stop, and no stage was offered again
            await().atMost(WAIT).until(() -> first.cancels.size() == 1 && last.cancels.size() == 1);
            assertThat(first.offers).hasSize(1);
            assertThat(last.offers).hasSize(1);
        }
    }
}

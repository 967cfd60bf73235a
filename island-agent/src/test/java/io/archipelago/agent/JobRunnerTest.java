package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobAccepted;
import io.archipelago.protocol.JobOffer;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.Probe;
import io.archipelago.protocol.ProbeReply;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;

    private static NatsServerProcess server;

    @BeforeAll
    static void startNats() throws Exception {
        server = new NatsServerProcess(directory);
    }

    @AfterAll
    static void stopNats() throws InterruptedException {
        server.close();
    }

    private static JobOffer offer(String jobId, String cargo, String prompt) {
        return new JobOffer(Codec.VERSION, jobId, cargo, Codec.json().createObjectNode().put("prompt", prompt), 10,
                System.currentTimeMillis() + 60_000);
    }

    private static List<JobOutput> collect(Connection coordinator, String islandId) {
        List<JobOutput> outputs = new CopyOnWriteArrayList<>();
        coordinator.createDispatcher(message -> {
            try {
                outputs.add(Codec.decode(message.getData(), JobOutput.class));
            } catch (Exception malformed) {
                throw new IllegalStateException(malformed);
            }
        }).subscribe("results." + islandId + ".>");
        return outputs;
    }

    @Test
    void answersProbesAndStreamsADemoJobInOrderThenItsUnits() throws Exception {
        try (Connection coordinator = Nats.connect(server.url()); Connection island = Nats.connect(server.url());
             JobRunner runner = new JobRunner("demo-1", island, new DemoRuntime("demo-1", Duration.ZERO),
                     Set.of("llm.chat.demo"), 2)) {
            runner.start();
            List<JobOutput> outputs = collect(coordinator, "demo-1");
            coordinator.flush(WAIT);

            Message probe = coordinator.request(Subjects.probe("demo-1"), Codec.encode(new Probe(Codec.VERSION, 7)),
                    WAIT);
            ProbeReply reply = Codec.decode(probe.getData(), ProbeReply.class);
            assertThat(reply.nonce()).isEqualTo(7);
            // the heap limit by default, what the host names once it does
            assertThat(reply.memoryMib()).isEqualTo(OfferedMemory.mib());
            runner.offerMemory(512);
            assertThat(Codec.decode(coordinator.request(Subjects.probe("demo-1"), Codec.encode(new Probe(
                    Codec.VERSION, 8)), WAIT).getData(), ProbeReply.class).memoryMib()).isEqualTo(512L);
            Message answer = coordinator.request(Subjects.jobs("demo-1"),
                    Codec.encode(offer("job-1", "llm.chat.demo", "islands of the sea")), WAIT);
            assertThat(Codec.decode(answer.getData(), JobAccepted.class).accepted()).isTrue();

            await().atMost(WAIT).until(() -> outputs.stream().anyMatch(out -> out.kind() == JobOutput.Kind.DONE));
            List<JobOutput> chunks = outputs.stream().filter(out -> out.kind() == JobOutput.Kind.CHUNK).toList();
            assertThat(chunks).extracting(JobOutput::seq)
                    .containsExactlyElementsOf(LongStream.range(0, chunks.size()).boxed().toList());
            assertThat(chunks.get(0).text()).isEqualTo("[demo]");
            assertThat(String.join("", chunks.stream().map(JobOutput::text).toList()))
                    .isEqualTo("[demo] Island demo-1 heard 4 words: sea the of islands.");
            JobOutput done = outputs.get(outputs.size() - 1);
            assertThat(done.kind()).isEqualTo(JobOutput.Kind.DONE);
            assertThat(done.seq()).isEqualTo(chunks.size());
            assertThat(done.units()).isEqualTo(1);
        }
    }

    @Test
    void refusesCargoItDoesNotServeAndOffersBeyondItsSlots() throws Exception {
        try (Connection coordinator = Nats.connect(server.url()); Connection island = Nats.connect(server.url());
             JobRunner runner = new JobRunner("demo-2", island, new DemoRuntime("demo-2", Duration.ofSeconds(1)),
                     Set.of("llm.chat.demo"), 1)) {
            runner.start();

            Message other = coordinator.request(Subjects.jobs("demo-2"),
                    Codec.encode(offer("job-2a", "image.sdxl", "a cat")), WAIT);
            Message first = coordinator.request(Subjects.jobs("demo-2"),
                    Codec.encode(offer("job-2b", "llm.chat.demo", "a b c")), WAIT);
            Message second = coordinator.request(Subjects.jobs("demo-2"),
                    Codec.encode(offer("job-2c", "llm.chat.demo", "a b c")), WAIT);

            assertThat(Codec.decode(other.getData(), JobAccepted.class).accepted()).isFalse();
            assertThat(Codec.decode(first.getData(), JobAccepted.class).accepted()).isTrue();
            assertThat(Codec.decode(second.getData(), JobAccepted.class).reason()).contains("slot");
        }
    }

    @Test
    void forwardsToAnOpenAiCompatibleUpstreamAndStreamsItsTokens() throws Exception {
        try (StandInUpstreamServer upstream = new StandInUpstreamServer(List.of("Hel", "lo", "!"), 2_500);
             Connection coordinator = Nats.connect(server.url()); Connection island = Nats.connect(server.url());
             JobRunner runner = new JobRunner("gpu-1", island, new OpenAiUpstreamRuntime(upstream.url(), "llama3"),
                     Set.of("llm.chat.llama3-8b"), 2)) {
            runner.start();
            List<JobOutput> outputs = collect(coordinator, "gpu-1");
            coordinator.flush(WAIT);

            coordinator.request(Subjects.jobs("gpu-1"), Codec.encode(new JobOffer(Codec.VERSION, "job-3",
                    "llm.chat.llama3-8b", (ObjectNode) Codec.json().readTree(
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 10, 0)), WAIT);

            await().atMost(WAIT).until(() -> outputs.stream().anyMatch(out -> out.kind() == JobOutput.Kind.DONE));
            assertThat(outputs).extracting(JobOutput::text).containsExactly("Hel", "lo", "!", null);
            assertThat(outputs.get(3).units()).isEqualTo(3);
            assertThat(upstream.requests.get(0).path("stream").asBoolean()).isTrue();
            assertThat(upstream.requests.get(0).path("model").asText()).isEqualTo("llama3");
            assertThat(upstream.requests.get(0).path("messages").get(0).path("content").asText()).isEqualTo("hi");
        }
    }
}

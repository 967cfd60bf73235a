package io.archipelago.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline job over a real nats-server: each stage's Island on its own NATS connection and user, allowed only its
 * stage's subjects; the text goes to stage 0, activations go from stage to stage as tensor payloads, and the last
 * stage's embedding equals the single-Island answer (ONNX Runtime on the whole model) within 1e-4.
 */
class PipelineOverNatsTest {

    private static final String JOB = "job-pipe-1";
    private static final List<String> TEXTS = List.of("hello islands", "How do I reset my password?",
            "The tide comes in twice a day.");

    private static byte[] model;
    private static MiniLmTokenizer tokenizer;
    private static List<float[]> single;

    @TempDir
    Path directory;

    @BeforeAll
    static void singleIslandAnswers() {
        model = MiniLmStage.modelBytes();
        tokenizer = new MiniLmTokenizer();
        EmbeddingModel onnx = new AllMiniLmL6V2EmbeddingModel();
        single = TEXTS.stream().map(text -> onnx.embed(text).content().vector()).toList();
    }

    @Test
    void threeStagesOnThreeIslandsAnswerAsOneIslandDoes() throws Exception {
        assertPipelineAnswersAsOneIsland(0, 2, 4, 6);
    }

    @Test
    void twoStagesOnTwoIslandsAnswerAsOneIslandDoes() throws Exception {
        assertPipelineAnswersAsOneIsland(0, 3, 6);
    }

    @Test
    void anIslandCanNeitherSkipAStageNorHearAnotherStagesInput() throws Exception {
        int stages = 3;
        List<String> violations = new CopyOnWriteArrayList<>();
        try (PermittedNatsServer server = new PermittedNatsServer(directory, JOB, stages, island(stages - 1));
             Connection first = connect(server, island(0), violations);
             Connection last = connect(server, island(2), violations)) {
            List<byte[]> heardByLast = new CopyOnWriteArrayList<>();
            Dispatcher lastHears = last.createDispatcher(message -> heardByLast.add(message.getData()));
            lastHears.subscribe(Subjects.stage(JOB, 2));
            last.createDispatcher(message -> heardByLast.add(message.getData())).subscribe(Subjects.stage(JOB, 0));
            last.flush(Duration.ofSeconds(2));

            first.publish(Subjects.stage(JOB, 2), Codec.json().writeValueAsBytes(Payloads.TextDelta.of("skip")));
            first.flush(Duration.ofSeconds(2));

            await().atMost(Duration.ofSeconds(5)).until(() -> violations.size() >= 2);
            assertThat(violations).allMatch(error -> error.contains("Permissions Violation"));
            assertThat(heardByLast).isEmpty();
        }
    }

    private void assertPipelineAnswersAsOneIsland(int... bounds) throws Exception {
        int stages = bounds.length - 1;
        List<String> failures = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<Integer, float[]> answers = new ConcurrentHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        try (PermittedNatsServer server = new PermittedNatsServer(directory, JOB, stages, island(stages - 1))) {
            for (int k = 0; k < stages; k++) {
                Connection island = connect(server, island(k), violations);
                open.add(island);
                String next = k + 1 < stages ? Subjects.stage(JOB, k + 1) : Subjects.results(island(k), JOB);
                open.add(new StageWorker(island, MiniLmStage.of(model, bounds[k], bounds[k + 1]),
                        k == 0 ? tokenizer : null, JOB, k, next, failures::add));
                island.flush(Duration.ofSeconds(2));
            }
            Connection coordinator = connect(server, "coordinator", violations);
            open.add(coordinator);
            coordinator.createDispatcher(message -> {
                try {
                    Payloads.Embedding embedding = (Payloads.Embedding) Codec.json().readValue(message.getData(),
                            Payload.class);
                    answers.put(embedding.index(), embedding.vector());
                } catch (java.io.IOException e) {
                    failures.add(e.toString());
                }
            }).subscribe(Subjects.results(island(stages - 1), JOB));
            coordinator.flush(Duration.ofSeconds(2));

            for (int i = 0; i < TEXTS.size(); i++) {
                Headers headers = new Headers().put(StageWorker.INDEX, String.valueOf(i));
                coordinator.publish(Subjects.stage(JOB, 0), headers,
                        Codec.json().writeValueAsBytes(Payloads.TextDelta.of(TEXTS.get(i))));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.size() == TEXTS.size() || !failures.isEmpty());

            assertThat(failures).isEmpty();
            assertThat(violations).isEmpty();
            for (int i = 0; i < TEXTS.size(); i++) {
                double diff = 0;
                for (int c = 0; c < 384; c++) {
                    diff = Math.max(diff, Math.abs(single.get(i)[c] - answers.get(i)[c]));
                }
                System.out.printf("%d stages over NATS, max abs diff %.2e: %s%n", stages, diff, TEXTS.get(i));
                assertThat(diff).isLessThan(1e-4);
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static String island(int stage) {
        return PermittedNatsServer.island(stage);
    }

    static Connection connect(PermittedNatsServer server, String user, List<String> violations) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url())
                .userInfo(user, PermittedNatsServer.password(user))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection connection, String error) {
                        violations.add(error);
                    }
                }).build());
    }
}

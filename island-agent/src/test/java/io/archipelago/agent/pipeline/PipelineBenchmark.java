package io.archipelago.agent.pipeline;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for docs/benchmarks.md (scripts/bench-pipeline.sh), never run by verify: all-MiniLM-L6-v2 as 1, 2 and 3
 * stages on separate NATS connections over a loopback nats-server, latency one text at a time and throughput with
 * every text sent at once, beside the anchors measured in the same run: ONNX Runtime on the whole model in process,
 * the plain-Java whole model in process, and the round trip over the same server of an empty message and of a
 * message the size of one hop's tensor payload.
 */
class PipelineBenchmark {

    private static final String JOB = "job-bench";
    private static final int WARMUP = 15;
    private static final int REQUESTS = 60;
    private static final String[] WORDS = ("islands sell compute at their own price while consumers bid for jobs and "
            + "the coordinator clears a market rate per cargo type places each job on the lowest latency island and "
            + "settles the money").split(" ");

    @TempDir
    Path directory;

    @Test
    void measure() throws Exception {
        List<String> texts = texts();
        byte[] model = MiniLmStage.modelBytes();
        MiniLmTokenizer tokenizer = new MiniLmTokenizer();
        int tokens = tokenizer.ids(texts.get(0)).length;
        System.out.printf("pipeline setup: %d texts of %d tokens, %d cores%n", REQUESTS, tokens,
                Runtime.getRuntime().availableProcessors());

        EmbeddingModel onnx = new AllMiniLmL6V2EmbeddingModel();
        report("anchor onnx-runtime whole model, in process", time(texts, text -> onnx.embed(text)));
        MiniLmStage whole = MiniLmStage.of(model, 0, 6);
        report("anchor plain-java whole model, in process",
                time(texts, text -> MiniLmStage.pool(whole.forward(whole.embed(tokenizer.ids(text))))));

        for (int[] bounds : List.of(new int[] {0, 6}, new int[] {0, 3, 6}, new int[] {0, 2, 4, 6})) {
            overNats(model, tokenizer, texts, bounds);
        }
        Path dir = directory.resolve("anchors");
        java.nio.file.Files.createDirectories(dir);
        try (PermittedNatsServer server = new PermittedNatsServer(dir, JOB, 1, PermittedNatsServer.island(0))) {
            hopAnchors(server, new CopyOnWriteArrayList<>());
        }
    }

    private void overNats(byte[] model, MiniLmTokenizer tokenizer, List<String> texts, int[] bounds)
            throws Exception {
        int stages = bounds.length - 1;
        List<String> errors = new CopyOnWriteArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        Path dir = directory.resolve("stages-" + stages);
        java.nio.file.Files.createDirectories(dir);
        try (PermittedNatsServer server = new PermittedNatsServer(dir, JOB, stages,
                PermittedNatsServer.island(stages - 1))) {
            for (int k = 0; k < stages; k++) {
                Connection island = PipelineOverNatsTest.connect(server, PermittedNatsServer.island(k), errors);
                open.add(island);
                String next = k + 1 < stages ? Subjects.stage(JOB, k + 1)
                        : Subjects.results(PermittedNatsServer.island(k), JOB);
                open.add(new StageWorker(island, MiniLmStage.of(model, bounds[k], bounds[k + 1]),
                        k == 0 ? tokenizer : null, JOB, k, next, errors::add));
                island.flush(Duration.ofSeconds(2));
            }
            Connection coordinator = PipelineOverNatsTest.connect(server, "coordinator", errors);
            open.add(coordinator);
            BlockingQueue<Long> answered = new ArrayBlockingQueue<>(REQUESTS + WARMUP);
            coordinator.createDispatcher(message -> answered.add(System.nanoTime()))
                    .subscribe(Subjects.results(PermittedNatsServer.island(stages - 1), JOB));
            coordinator.flush(Duration.ofSeconds(2));

            long[] latencies = new long[texts.size()];
            for (int i = 0; i < WARMUP + texts.size(); i++) {
                long sent = System.nanoTime();
                send(coordinator, texts.get(i % texts.size()), i);
                Long at = answered.poll(30, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException("no answer; errors " + errors);
                }
                if (i >= WARMUP) {
                    latencies[i - WARMUP] = at - sent;
                }
            }
            report(stages + " stage(s) over NATS, one text at a time", latencies);

            long start = System.nanoTime();
            for (int i = 0; i < texts.size(); i++) {
                send(coordinator, texts.get(i), i);
            }
            long last = 0;
            for (int i = 0; i < texts.size(); i++) {
                Long at = answered.poll(60, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException("no answer; errors " + errors);
                }
                last = at;
            }
            System.out.printf("pipeline %d stage(s) over NATS, all texts at once: %.1f texts/s%n", stages,
                    texts.size() / ((last - start) / 1e9));
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** Round trips over the same server: coordinator to stage 0's subject and back, empty and tensor-sized. */
    private static void hopAnchors(PermittedNatsServer server, List<String> errors) throws Exception {
        try (Connection echo = PipelineOverNatsTest.connect(server, PermittedNatsServer.island(0), errors);
             Connection coordinator = PipelineOverNatsTest.connect(server, "coordinator", errors)) {
            // stage 0's Island may publish to the results subject only in a one-stage job: echo there
            String back = Subjects.results(PermittedNatsServer.island(0), JOB);
            echo.createDispatcher(message -> echo.publish(back, message.getData())).subscribe(Subjects.stage(JOB, 0));
            echo.flush(Duration.ofSeconds(2));
            BlockingQueue<Long> echoed = new ArrayBlockingQueue<>(1);
            coordinator.createDispatcher(message -> echoed.add(System.nanoTime())).subscribe(back);
            coordinator.flush(Duration.ofSeconds(2));
            Activations sample = new Activations(16, MiniLmStage.WIDTH, new float[16 * MiniLmStage.WIDTH]);
            for (byte[] body : List.of(new byte[0], Codec.json().writeValueAsBytes(sample.toTensor()))) {
                long[] rtts = new long[REQUESTS];
                for (int i = 0; i < WARMUP + REQUESTS; i++) {
                    long sent = System.nanoTime();
                    coordinator.publish(Subjects.stage(JOB, 0), body);
                    Long at = echoed.poll(10, TimeUnit.SECONDS);
                    if (at == null) {
                        throw new IllegalStateException("no echo; errors " + errors);
                    }
                    if (i >= WARMUP) {
                        rtts[i - WARMUP] = at - sent;
                    }
                }
                report("anchor NATS round trip of " + body.length + " bytes", rtts);
            }
        }
    }

    private static void send(Connection coordinator, String text, int index) throws Exception {
        coordinator.publish(Subjects.stage(JOB, 0), new Headers().put(StageWorker.INDEX, String.valueOf(index)),
                Codec.json().writeValueAsBytes(Payloads.TextDelta.of(text)));
    }

    private interface Work {
        void run(String text) throws Exception;
    }

    private static long[] time(List<String> texts, Work work) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            work.run(texts.get(i % texts.size()));
        }
        long[] times = new long[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            long start = System.nanoTime();
            work.run(texts.get(i));
            times[i] = System.nanoTime() - start;
        }
        return times;
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        System.out.printf("pipeline %s: p50 %.2f ms, p99 %.2f ms, mean %.2f ms (%.1f texts/s sequential)%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, mean, 1000 / mean);
    }

    /** Texts of the same length drawn deterministically from a fixed vocabulary. */
    private static List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[(i * 7 + w * 3) % WORDS.length]);
            }
            texts.add(text.toString());
        }
        return texts;
    }
}

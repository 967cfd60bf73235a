package io.archipelago.coordinator.openai;

import static org.awaitility.Awaitility.await;

import io.archipelago.access.TestCredentials;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.InlineArtifacts;
import io.archipelago.protocol.JobAccepted;
import io.archipelago.protocol.JobOffer;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.NKeyAuth;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.Probe;
import io.archipelago.protocol.ProbeReply;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Prints how long a progress event takes from the Island to the client of {@code POST /v1/images/generations}
 * ({@code stream: true}), beside the anchor of a text chunk of {@code POST /v1/chat/completions} on the same path in
 * the same run: an Island on its own NATS connection in this JVM stamps each payload with {@code System.nanoTime()}
 * as it publishes it, {@value #STEPS} per job every {@value #PACE_MS} ms, and the client (java.net.http, reading SSE
 * lines) stamps each event as it reads it. Both pass NATS, the bridge, the job stream and the SSE writer. Sequential
 * jobs, p50/p90/p99/max in microseconds; nothing asserted. Run: {@code scripts/bench-images.sh}.
 */
class ProgressDelayBenchmark {

    private static final String IMAGES = "images.bench";
    private static final String CHAT = "llm.bench";
    private static final int STEPS = 20;
    private static final int PACE_MS = 10;
    private static final int WARM_UP = 10;
    private static final int MEASURED = 50;

    private final HttpClient http = HttpClient.newHttpClient();
    /** Publish time of each payload, by job id and sequence number. */
    private final Map<String, long[]> sent = new ConcurrentHashMap<>();

    @Test
    void printsProgressDelayBesideTextChunkDelay(@TempDir Path dataDir) throws Exception {
        try (ConfigurableApplicationContext coordinator = WholeCoordinator.start(dataDir,
                Map.of("logging.level.io.archipelago", "WARN"))) {
            URI url = WholeCoordinator.url(coordinator);
            operator(url, "/cargos", "{\"cargo\":\"" + IMAGES + "\",\"unit\":\"IMAGE\",\"publisher\":\"bench-pub\","
                    + "\"royaltyMicroCredits\":1}");
            operator(url, "/cargos", "{\"cargo\":\"" + CHAT + "\",\"unit\":\"THOUSAND_TOKENS\","
                    + "\"publisher\":\"bench-pub\",\"royaltyMicroCredits\":1}");
            operator(url, "/accounts", "{\"accountId\":\"bench-consumer\",\"country\":\"DE\"}");
            operator(url, "/accounts/bench-consumer/deposits", "{\"amountMicroCredits\":1000000000}");
            String key = Codec.json().readTree(operator(url, "/accounts/bench-consumer/keys", null))
                    .path("key").asText();
            Connection island = pacedIsland(url, "bench-island");
            try {
                List<Long> progress = new ArrayList<>();
                List<Long> text = new ArrayList<>();
                for (int i = 0; i < WARM_UP + MEASURED; i++) {
                    List<Long> progressRun = run(url, key, "/v1/images/generations", "{\"model\":\"" + IMAGES
                            + "\",\"prompt\":\"bench\",\"stream\":true}", "\"type\":\"progress\"");
                    List<Long> textRun = run(url, key, "/v1/chat/completions", "{\"model\":\"" + CHAT
                            + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"bench\"}]}",
                            "\"content\":\"c");
                    if (i >= WARM_UP) {
                        progress.addAll(progressRun);
                        text.addAll(textRun);
                    }
                }
                System.out.println("progress event, Island -> client (us): " + quantiles(progress));
                System.out.println("anchor text chunk, Island -> client (us): " + quantiles(text));
            } finally {
                island.close();
            }
        }
    }

    /** One streamed request: the delay of each event that carries {@code marker}, in order of the Island's seq. */
    private List<Long> run(URI url, String key, String path, String body, String marker) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        String job = response.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
        List<Long> received = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> {
                if (line.startsWith("data:") && line.contains(marker)) {
                    received.add(System.nanoTime());
                }
            });
        }
        long[] published = sent.remove(job);
        List<Long> delays = new ArrayList<>();
        for (int seq = 0; published != null && seq < Math.min(STEPS, received.size()); seq++) {
            delays.add((received.get(seq) - published[seq]) / 1_000);
        }
        return delays;
    }

    /**
     * An Island on a raw NATS connection that streams {@value #STEPS} payloads a job, one every {@value #PACE_MS} ms:
     * progress for the image Cargo (then a small inline PNG), text for the chat Cargo.
     */
    private Connection pacedIsland(URI url, String islandId) throws Exception {
        operator(url, "/islands", "{\"islandId\":\"" + islandId + "\",\"owner\":\"host-" + islandId
                + "\",\"country\":\"DE\",\"cargoTypes\":[\"" + IMAGES + "\",\"" + CHAT + "\"],\"slots\":4}");
        String[] answer = new String[1];
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            answer[0] = operator(url, "/islands/" + islandId + "/session", null);
            return true;
        });
        IslandSession session = Codec.json().readValue(answer[0], IslandSession.class);
        Connection nats = Nats.connect(new Options.Builder().server(session.natsUrl())
                .authHandler(NKeyAuth.fromSeed(session.nkeySeed())).build());
        nats.createDispatcher(message -> {
            try {
                Probe probe = Codec.decode(message.getData(), Probe.class);
                nats.publish(message.getReplyTo(), Codec.encode(new ProbeReply(Codec.VERSION, islandId,
                        probe.nonce(), 0)));
            } catch (RejectedMessage impossible) {
                throw new IllegalStateException(impossible);
            }
        }).subscribe(Subjects.probe(islandId));
        nats.createDispatcher(message -> {
            try {
                JobOffer offer = Codec.decode(message.getData(), JobOffer.class);
                nats.publish(message.getReplyTo(), Codec.encode(JobAccepted.yes(offer.jobId())));
                Thread paced = new Thread(() -> stream(nats, islandId, offer), "paced-" + offer.jobId());
                paced.setDaemon(true);
                paced.start();
            } catch (RejectedMessage impossible) {
                throw new IllegalStateException(impossible);
            }
        }).subscribe(Subjects.jobs(islandId));
        nats.flush(Duration.ofSeconds(5));
        operator(url, "/islands/" + islandId + "/online", null);
        operator(url, "/markets/" + IMAGES + "/asks", "{\"islandId\":\"" + islandId + "\",\"priceMicroCredits\":10}");
        operator(url, "/markets/" + CHAT + "/asks", "{\"islandId\":\"" + islandId + "\",\"priceMicroCredits\":10}");
        return nats;
    }

    private void stream(Connection nats, String islandId, JobOffer offer) {
        String results = Subjects.results(islandId, offer.jobId());
        long[] published = new long[STEPS];
        sent.put(offer.jobId(), published);
        boolean image = offer.cargo().equals(IMAGES);
        long seq = 0;
        try {
            for (int step = 0; step < STEPS; step++) {
                TimeUnit.MILLISECONDS.sleep(PACE_MS);
                Payload payload = image ? Payloads.Progress.of(step + 1, STEPS, "bench")
                        : Payloads.TextDelta.of("c" + step);
                published[step] = System.nanoTime();
                nats.publish(results, Codec.encode(JobOutput.chunk(offer.jobId(), seq++, payload)));
            }
            if (image) {
                for (Payload part : InlineArtifacts.payloads(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png")) {
                    nats.publish(results, Codec.encode(JobOutput.chunk(offer.jobId(), seq++, part)));
                }
            }
            nats.publish(results, Codec.encode(JobOutput.done(offer.jobId(), seq, 1)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private String operator(URI url, String path, @Nullable String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", "Bearer " + TestCredentials.OPERATOR_TOKEN);
        request = body == null ? request.POST(HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String quantiles(List<Long> delays) {
        long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return "none";
        }
        return "n=" + sorted.length + " p50=" + at(sorted, 0.50) + " p90=" + at(sorted, 0.90) + " p99="
                + at(sorted, 0.99) + " max=" + sorted[sorted.length - 1];
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}

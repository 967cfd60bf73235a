package io.archipelago.coordinator.openai;

import static org.awaitility.Awaitility.await;

import io.archipelago.protocol.Codec;
import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.JobAccepted;
import io.archipelago.protocol.JobOffer;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.NKeyAuth;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * An Island on a raw NATS connection that joins as the agent does (registration over HTTP with the operator's token,
 * its own NATS session, probes answered, an ask listed) and then follows its {@link Script} for every job it accepts.
 */
final class ScriptedIsland implements AutoCloseable {

    /** What the Island does with a job it accepted. */
    enum Script {
        /** Streams one chunk, then reports an error, as a runtime that crashes mid-answer would. */
        FAIL_MID_ANSWER,
        /** Drops its connection before any output, as a machine that loses power would; it never answers again. */
        VANISH_AFTER_ACCEPTING,
        /** Streams {@link #ANSWER_CHUNKS} chunks and completes with one unit. */
        ANSWER,
        /** Answers as {@link #ANSWER}, except every third job it accepts, which fails as {@link #FAIL_MID_ANSWER}. */
        FAIL_EVERY_THIRD,
        /**
         * Answers as {@link #ANSWER}, except every third job offered with Cargo version {@value #WORSE_VERSION},
         * which fails as {@link #FAIL_MID_ANSWER}: two stand-in versions of one Cargo type, one less reliable.
         */
        FAIL_EVERY_THIRD_OF_WORSE_VERSION
    }

    /** The version {@link Script#FAIL_EVERY_THIRD_OF_WORSE_VERSION} fails every third job of. */
    static final String WORSE_VERSION = "1.1.0";

    static final List<String> ANSWER_CHUNKS = List.of("answered", " by", " a", " scripted", " Island");

    final String islandId;
    final List<String> jobs = new CopyOnWriteArrayList<>();
    /** The Cargo version each job was offered with, by job id ("" for none). */
    final Map<String, String> versions = new ConcurrentHashMap<>();
    private final AtomicInteger worseJobs = new AtomicInteger();
    private final Connection nats;
    private final URI coordinator;
    private final String operatorToken;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean vanished;

    ScriptedIsland(URI coordinator, String operatorToken, String islandId, String country, String cargo, long price,
                   Script script) throws Exception {
        this.coordinator = coordinator;
        this.operatorToken = operatorToken;
        this.islandId = islandId;
        post("/islands", "{\"islandId\":\"" + islandId + "\",\"owner\":\"host-" + islandId + "\",\"country\":\""
                + country + "\",\"cargoTypes\":[\"" + cargo + "\"],\"slots\":2}");
        AtomicReference<String> answer = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            answer.set(tryPost("/islands/" + islandId + "/session"));
            return answer.get() != null;
        });
        IslandSession session = Codec.json().readValue(answer.get(), IslandSession.class);
        nats = Nats.connect(new Options.Builder().server(session.natsUrl())
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
                jobs.add(offer.jobId());
                String version = offer.version() == null ? "" : offer.version().name();
                versions.put(offer.jobId(), version);
                nats.publish(message.getReplyTo(), Codec.encode(JobAccepted.yes(offer.jobId())));
                String results = Subjects.results(islandId, offer.jobId());
                Script now = switch (script) {
                    case FAIL_EVERY_THIRD -> jobs.size() % 3 == 0 ? Script.FAIL_MID_ANSWER : Script.ANSWER;
                    case FAIL_EVERY_THIRD_OF_WORSE_VERSION -> version.equals(WORSE_VERSION)
                            && worseJobs.incrementAndGet() % 3 == 0 ? Script.FAIL_MID_ANSWER : Script.ANSWER;
                    default -> script;
                };
                switch (now) {
                    case FAIL_EVERY_THIRD, FAIL_EVERY_THIRD_OF_WORSE_VERSION, FAIL_MID_ANSWER -> {
                        nats.publish(results, Codec.encode(JobOutput.chunk(offer.jobId(), 0, "half an answer")));
                        nats.publish(results, Codec.encode(JobOutput.error(offer.jobId(),
                                "the runtime ran out of memory")));
                    }
                    case VANISH_AFTER_ACCEPTING -> vanish();
                    case ANSWER -> {
                        for (int seq = 0; seq < ANSWER_CHUNKS.size(); seq++) {
                            nats.publish(results, Codec.encode(JobOutput.chunk(offer.jobId(), seq,
                                    ANSWER_CHUNKS.get(seq))));
                        }
                        nats.publish(results, Codec.encode(JobOutput.done(offer.jobId(), ANSWER_CHUNKS.size(), 1)));
                    }
                }
            } catch (RejectedMessage impossible) {
                throw new IllegalStateException(impossible);
            }
        }).subscribe(Subjects.jobs(islandId));
        nats.flush(Duration.ofSeconds(5));
        post("/islands/" + islandId + "/online", null);
        post("/markets/" + cargo + "/asks", "{\"islandId\":\"" + islandId + "\",\"priceMicroCredits\":" + price + "}");
    }

    private @Nullable String tryPost(String path) throws Exception {
        HttpResponse<String> response = http.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : null;
    }

    private void post(String path, @Nullable String json) throws Exception {
        HttpRequest.Builder request = request(path);
        if (json == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(coordinator.resolve(path)).header("Authorization", "Bearer " + operatorToken);
    }

    /** Takes the Island offline, as its host would, so that it takes no more jobs. */
    @Override
    public void close() throws Exception {
        if (!vanished) {
            post("/islands/" + islandId + "/offline", "{}");
        }
        nats.close();
    }

    /** Closes the connection from another thread: a dispatcher may not close its own connection. */
    private void vanish() {
        vanished = true;
        new Thread(() -> {
            try {
                nats.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }, "vanishing-" + islandId).start();
    }
}

package io.archipelago.coordinator.bridge;

import static org.awaitility.Awaitility.await;

import io.archipelago.access.TestCredentials;
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
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * An Island on a raw NATS connection that joins the way the agent does (HTTP registration, its own NATS session,
 * probes answered, an ask listed) and then does with every job it accepts what the test wants: answers it properly
 * with one chunk, stays silent, or answers with bytes that are not a protocol message. It can also stop answering
 * probes, and its connection is there for a test to attempt what an Island must not.
 */
final class RogueIsland implements AutoCloseable {

    enum Misdeed {
        NONE,
        STALL,
        MALFORMED
    }

    final String islandId;
    final List<String> jobs = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final Connection nats;
    volatile boolean answersProbes = true;
    private final URI coordinator;
    private final HttpClient http = HttpClient.newHttpClient();

    RogueIsland(URI coordinator, String islandId, String cargo, long price, Misdeed misdeed) throws Exception {
        this(coordinator, islandId, "DE", cargo, price, misdeed);
    }

    RogueIsland(URI coordinator, String islandId, String country, String cargo, long price, Misdeed misdeed)
            throws Exception {
        this.coordinator = coordinator;
        this.islandId = islandId;
        post("/islands", "{\"islandId\":\"" + islandId + "\",\"owner\":\"host-" + islandId
                + "\",\"country\":\"" + country + "\",\"cargoTypes\":[\"" + cargo + "\"],\"slots\":2}");
        // the coordinator hands out sessions once its bridge has read the registration, a moment after it
        AtomicReference<String> answer = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            answer.set(tryPost("/islands/" + islandId + "/session"));
            return answer.get() != null;
        });
        IslandSession session = Codec.json().readValue(answer.get(), IslandSession.class);
        nats = Nats.connect(new Options.Builder().server(session.natsUrl())
                .authHandler(NKeyAuth.fromSeed(session.nkeySeed()))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection connection, String error) {
                        errors.add(error);
                    }
                }).build());
        nats.createDispatcher(message -> {
            try {
                Probe probe = Codec.decode(message.getData(), Probe.class);
                if (!answersProbes) {
                    return;
                }
                nats.publish(message.getReplyTo(), Codec.encode(new ProbeReply(Codec.VERSION, islandId,
                        probe.nonce(), jobs.size())));
            } catch (RejectedMessage impossible) {
                throw new IllegalStateException(impossible);
            }
        }).subscribe(Subjects.probe(islandId));
        nats.createDispatcher(message -> {
            try {
                JobOffer offer = Codec.decode(message.getData(), JobOffer.class);
                jobs.add(offer.jobId());
                nats.publish(message.getReplyTo(), Codec.encode(JobAccepted.yes(offer.jobId())));
                if (misdeed == Misdeed.NONE) {
                    nats.publish(Subjects.results(islandId, offer.jobId()),
                            Codec.encode(JobOutput.chunk(offer.jobId(), 0, "ok")));
                    nats.publish(Subjects.results(islandId, offer.jobId()),
                            Codec.encode(JobOutput.done(offer.jobId(), 1, 1)));
                }
                if (misdeed == Misdeed.MALFORMED) {
                    nats.publish(Subjects.results(islandId, offer.jobId()),
                            "{\"v\":1,\"not\":\"a job output\"".getBytes(StandardCharsets.UTF_8));
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
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(coordinator.resolve(path))
                .header("Authorization", TestCredentials.OPERATOR)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : null;
    }

    private String post(String path, @Nullable String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(coordinator.resolve(path))
                .header("Authorization", TestCredentials.OPERATOR);
        if (json == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Takes the Island offline, as its host would, so that it takes no more jobs. */
    @Override
    public void close() throws Exception {
        post("/islands/" + islandId + "/offline", "{}");
        nats.close();
    }
}

package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.SessionProof;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** The coordinator's HTTP API as an Island uses it: register, get its NATS session, list asks, go on and offline. */
final class CoordinatorClient {

    private static final Duration SESSION_WAIT = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final @Nullable String key;

    /** A client of the coordinator at {@code base} sending {@code key} (when there is one) on every call. */
    CoordinatorClient(URI base, @Nullable String key) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.key = key;
    }

    /** Registers the Island; one registered before (a restart) is fine. */
    void register(AgentSettings settings) throws IOException, InterruptedException {
        ObjectNode body = Codec.json().createObjectNode()
                .put("islandId", settings.name())
                .put("owner", settings.owner())
                .put("country", settings.country())
                .put("slots", settings.slots())
                .put("verified", false);
        ArrayNode cargoTypes = body.putArray("cargoTypes");
        settings.asks().keySet().forEach(cargoTypes::add);
        if (!settings.schedule().isEmpty()) {
            ArrayNode schedule = body.putArray("schedule");
            settings.schedule().forEach(window -> schedule.addObject()
                    .put("startMinute", window[0]).put("endMinute", window[1]));
        }
        HttpResponse<String> response = post("islands", body);
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw failure("registering island " + settings.name(), response);
        }
    }

    /**
     * The Island's NATS session, proving with {@code previousSeed} (when there is one) that it holds the Island's
     * current key; waits while the coordinator has not yet seen the registration.
     */
    IslandSession session(String islandId, @Nullable String previousSeed) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SESSION_WAIT.toNanos();
        while (true) {
            HttpRequest.Builder request = authorized(HttpRequest.newBuilder(base.resolve("islands/" + islandId
                    + "/session"))).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
            if (previousSeed != null) {
                SessionProof proof = SessionProof.sign(islandId, previousSeed, Instant.now());
                request.header(SessionProof.TIME_HEADER, String.valueOf(proof.epochSecond()))
                        .header(SessionProof.SIGNATURE_HEADER, proof.signature());
            }
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 200) {
                return Codec.json().readValue(response.body(), IslandSession.class);
            }
            if (response.statusCode() != 404 || System.nanoTime() > deadline) {
                throw failure("opening the NATS session of " + islandId, response);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Offers the Island's capacity on each market; an ask listed before is repriced instead. */
    void ask(String islandId, Map<String, Long> asks) throws IOException, InterruptedException {
        for (Map.Entry<String, Long> ask : asks.entrySet()) {
            HttpResponse<String> response = post("markets/" + ask.getKey() + "/asks", Codec.json().createObjectNode()
                    .put("islandId", islandId).put("priceMicroCredits", ask.getValue()));
            if (response.statusCode() == 409) {
                response = send("PUT", "markets/" + ask.getKey() + "/asks/" + islandId,
                        Codec.json().createObjectNode().put("priceMicroCredits", ask.getValue()));
            }
            if (response.statusCode() / 100 != 2) {
                throw failure("asking on " + ask.getKey(), response);
            }
        }
    }

    void online(String islandId) throws IOException, InterruptedException {
        HttpResponse<String> response = post("islands/" + islandId + "/online", null);
        if (response.statusCode() / 100 != 2) {
            throw failure("bringing " + islandId + " online", response);
        }
    }

    void offline(String islandId) throws IOException, InterruptedException {
        HttpResponse<String> response = post("islands/" + islandId + "/offline", Codec.json().createObjectNode());
        if (response.statusCode() / 100 != 2) {
            throw failure("taking " + islandId + " offline", response);
        }
    }

    private HttpResponse<String> post(String path, @Nullable JsonNode body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    private HttpResponse<String> send(String method, String path, @Nullable JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(Codec.json().writeValueAsBytes(body));
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(base.resolve(path)))
                .timeout(Duration.ofSeconds(30)).method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return key == null ? request : request.header("Authorization", "Bearer " + key);
    }

    private static IOException failure(String what, HttpResponse<String> response) {
        return new IOException(what + ": the coordinator answered " + response.statusCode() + " " + response.body());
    }
}

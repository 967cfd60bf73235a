package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.access.TestCredentials;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.projections.island.IslandViews;
import io.archipelago.protocol.cosign.CosignSignatures;
import io.archipelago.protocol.cosign.ImageDigest;
import io.archipelago.protocol.cosign.SigningKeys;
import io.archipelago.protocol.cosign.SimpleSigning;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A rollout across two published versions of one Cargo type through the OpenAI door: consumers ask for the Cargo type
 * itself, each job is pinned to the version its variant names and offered to the Island with it, and the Island (a
 * scripted test double for a host's runtime) fails every third job of version 1.1.0, the newest and the incumbent,
 * and answers every job of 1.0.0. The rollout promotes 1.0.0, and the market then runs 1.0.0 for every job of the
 * type that no rollout pins, although the rule alone would run the newest.
 */
class VersionRolloutOverHttpTest {

    private static final String CARGO = "llm.chat.x";
    private static final String REPOSITORY = "registry.example/acme/chat-x";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private URI url = URI.create("http://127.0.0.1");

    @Test
    void theMoreReliableVersionIsPromotedAndThenRunsForTheWholeType(@TempDir Path dataDir) throws Exception {
        try (ConfigurableApplicationContext coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of())) {
            url = WholeCoordinator.url(coordinator);
            String operator = TestCredentials.OPERATOR_TOKEN;
            String key = json.readTree(send("POST", "/accounts/demo-consumer/keys", operator, null).body())
                    .path("key").asText();
            assertThat(send("POST", "/cargos", operator, "{\"cargo\":\"" + CARGO + "\",\"unit\":\"THOUSAND_TOKENS\","
                    + "\"publisher\":\"publisher-1\",\"royaltyMicroCredits\":0}").statusCode()).isEqualTo(201);
            KeyPair acme = p256();
            HttpResponse<String> registered = send("POST", "/accounts/acme/publisher", operator,
                    "{\"name\":\"Acme\",\"signingKey\":" + json.writeValueAsString(SigningKeys.pem(acme.getPublic()))
                            + "}");
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            publish(operator, acme, "1.0.0", "sha256:" + "1a".repeat(32));
            publish(operator, acme, "1.1.0", "sha256:" + "2b".repeat(32));

            IslandViews islands = coordinator.getBean(IslandViews.class);
            try (ScriptedIsland island = new ScriptedIsland(url, operator, "versions-island", "PL", CARGO, 500,
                    ScriptedIsland.Script.FAIL_EVERY_THIRD_OF_WORSE_VERSION)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> islands.find(island.islandId)
                        .filter(view -> view.online() && view.rttMicros() != null).isPresent());
                HttpResponse<String> mixed = send("POST", "/rollouts", operator, "{\"model\":\"" + CARGO
                        + "\",\"variants\":[{\"version\":\"1.0.0\",\"weight\":50},{\"model\":\"llm.other\","
                        + "\"version\":\"1.1.0\",\"weight\":50}]}");
                assertThat(mixed.statusCode()).as("a variant names a Cargo type or a version").isEqualTo(400);
                HttpResponse<String> started = send("POST", "/rollouts", operator, "{\"model\":\"" + CARGO
                        + "\",\"variants\":[{\"version\":\"1.1.0\",\"weight\":50},{\"version\":\"1.0.0\","
                        + "\"weight\":50}],\"tau\":0.2,\"minimumPerVariant\":15}");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
                // routable once the read side shows it running with both versions
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    JsonNode shown = rollout(key);
                    return shown.path("status").asText().equals("RUNNING") && shown.path("variants").size() == 2;
                });

                Map<String, Integer> served = new HashMap<>();
                String status = "RUNNING";
                for (int i = 0; i < 200 && status.equals("RUNNING"); i++) {
                    HttpResponse<String> answer = chat(key);
                    if (answer.statusCode() == 200) {
                        Optional<String> routed = answer.headers().firstValue("X-Archipelago-Rollout");
                        if (routed.isEmpty()) {
                            // decided between the last look at its status and this chat: routed around it
                            assertThat(rollout(key).path("status").asText()).as("a chat goes around the rollout "
                                    + "only once it is decided").isNotEqualTo("RUNNING");
                            break;
                        }
                        assertThat(routed).contains(CARGO);
                        String job = answer.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
                        served.merge(island.versions.get(job), 1, Integer::sum);
                    } else {
                        served.merge("failed", 1, Integer::sum);
                    }
                    status = rollout(key).path("status").asText();
                }
                String finalStatus = await().atMost(Duration.ofSeconds(20)).until(() -> rollout(key).path("status")
                        .asText(), value -> !value.equals("RUNNING"));

                JsonNode rollout = rollout(key);
                assertThat(finalStatus).as(rollout.toString()).isEqualTo("PROMOTED");
                assertThat(rollout.path("winner").asText()).isEqualTo(CARGO);
                assertThat(rollout.path("winnerVersion").asText()).isEqualTo("1.0.0");
                assertThat(served).as("jobs offered per version").containsKeys("1.0.0", "1.1.0", "failed");
                JsonNode decision = rollout.path("decisions").path(0);
                assertThat(decision.path("verdict").asText()).isEqualTo("PROMOTE");
                assertThat(decision.path("version").asText()).isEqualTo("1.0.0");
                assertThat(decision.path("pValue").asDouble()).isLessThanOrEqualTo(0.05);
                assertThat(rollout.path("variants").path(0).path("version").asText()).isEqualTo("1.1.0");
                assertThat(rollout.path("variants").path(0).path("failures").asLong()).isPositive();
                assertThat(rollout.path("variants").path(1).path("version").asText()).isEqualTo("1.0.0");
                assertThat(rollout.path("variants").path(1).path("failures").asLong()).isZero();

                // the rule alone runs the newest version, 1.1.0; the promotion's selection runs 1.0.0 instead
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> after = chat(key);
                    assertThat(after.statusCode()).isEqualTo(200);
                    assertThat(after.headers().firstValue("X-Archipelago-Rollout")).isEmpty();
                    String job = after.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
                    assertThat(island.versions.get(job)).isEqualTo("1.0.0");
                }
            }
        }
    }

    private void publish(String operator, KeyPair key, String version, String digest) throws Exception {
        String payload = Base64.getEncoder().encodeToString(SimpleSigning.payload(REPOSITORY, new ImageDigest(digest),
                Map.of()));
        String signature = CosignSignatures.sign(key.getPrivate(), Base64.getDecoder().decode(payload));
        HttpResponse<String> published = send("POST", "/accounts/acme/cargo-versions", operator, "{\"cargo\":\""
                + CARGO + "\",\"version\":\"" + version + "\",\"image\":{\"repository\":\"" + REPOSITORY
                + "\",\"digest\":\"" + digest + "\"},\"manifest\":{\"unit\":\"THOUSAND_TOKENS\",\"runtime\":"
                + "\"container\",\"resources\":{\"ramMib\":512,\"vramMib\":0,\"cores\":1},\"quantizations\":[],"
                + "\"license\":\"Apache-2.0\",\"royaltyMicroCredits\":10},\"signature\":{\"payload\":\"" + payload
                + "\",\"signature\":\"" + signature + "\"}}");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
    }

    private JsonNode rollout(String key) throws Exception {
        return json.readTree(send("GET", "/rollouts/" + CARGO, key, null).body());
    }

    private HttpResponse<String> chat(String key) throws Exception {
        return send("POST", "/v1/chat/completions", key, "{\"model\":\"" + CARGO + "\",\"jurisdiction\":\"PL\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"which version are you\"}]}");
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private HttpResponse<String> send(String method, String path, String credential, @Nullable String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", "Bearer " + credential)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

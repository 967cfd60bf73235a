package io.archipelago.coordinator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.ContainerCargoFixture;
import io.archipelago.agent.ContainerCargoFixture.SignedVersion;
import io.archipelago.agent.IslandAgent;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published Cargo version through the whole exchange: a publisher registers its key and publishes a signed version
 * of an image pushed to a real registry; a consumer's chat completion is placed, the job offer carries the version,
 * and the Island verifies it against the publisher's key and runs exactly that digest in the container (not the
 * image the host configured). A version whose image was altered in the registry after publication is refused by the
 * Island, and the job is not served.
 */
class PublishedContainerVersionTest {

    private static final String ECHO = "container.versioned";
    private static final String REPLACED = "container.replaced";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theIslandRunsThePublishedVersionAndRefusesOneReplacedInTheRegistry() throws Exception {
        String missing = ContainerCargoFixture.missing();
        assumeTrue(missing.isEmpty(), missing);
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        try (ContainerCargoFixture registry = new ContainerCargoFixture(images);
             CoordinatorProcess coordinator = CoordinatorProcess.start(dir,
                     List.of("-Xmx384m"), Map.of("archipelago.bridge.probe-interval", "200ms",
                             "archipelago.openai.bid-ttl", "5s"))) {
            String configured = registry.signedImage("cargos/configured", "echo the image the host configured");
            SignedVersion version = registry.publishableImage("cargos/echo", "echo published version one");
            SignedVersion replaced = registry.publishableImage("cargos/replaced", "echo published original");
            String key = coordinator.openMarket(ECHO);
            coordinator.post("/cargos", "{\"cargo\":\"" + REPLACED + "\",\"unit\":\"THOUSAND_TOKENS\","
                    + "\"publisher\":\"publisher-1\",\"royaltyMicroCredits\":10}");
            coordinator.post("/accounts/acme/publisher", "{\"name\":\"Acme Models\",\"signingKey\":"
                    + json.writeValueAsString(registry.publicKeyPem()) + "}");
            coordinator.post("/accounts/acme/cargo-versions", publication(ECHO, version));
            coordinator.post("/accounts/acme/cargo-versions", publication(REPLACED, replaced));
            registry.alterConfig(replaced, "echo published original", "echo replaced after publication");

            IslandAgent island = IslandAgent.start(new AgentSettings("box-1", "host-box-1", "DE",
                    Map.of(ECHO, 1_000L, REPLACED, 1_000L), 2, List.of(), coordinator.url(), null, "demo", null,
                    null, Duration.ZERO, Map.of(), List.of(), null, CoordinatorProcess.OPERATOR_TOKEN,
                    registry.registry(), Map.of(ECHO, configured, REPLACED, configured),
                    List.of(registry.publicKey())));
            try {
                await().atMost(WAIT).until(() -> coordinator.get("/v1/models").path("data").size() == 2);
                HttpResponse<String> chat = coordinator.send("POST", "/v1/chat/completions", key,
                        "{\"model\":\"" + ECHO + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
                assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
                JsonNode answer = json.readTree(chat.body());
                assertThat(answer.path("choices").get(0).path("message").path("content").asText())
                        .isEqualTo("published version one");

                HttpResponse<String> refused = coordinator.send("POST", "/v1/chat/completions", key,
                        "{\"model\":\"" + REPLACED + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(json.readTree(refused.body()).path("error").path("code").asText())
                        .isEqualTo("no_eligible_island");
                assertThat(refused.body()).doesNotContain("replaced after publication")
                        .doesNotContain("the image the host configured");
            } finally {
                island.close();
            }
        }
    }

    private static String publication(String cargo, SignedVersion version) {
        return "{\"cargo\":\"" + cargo + "\",\"version\":\"1.0.0\",\"image\":{\"repository\":\""
                + version.repository() + "\",\"digest\":\"" + version.digest() + "\"},\"manifest\":{\"unit\":"
                + "\"THOUSAND_TOKENS\",\"runtime\":\"container\",\"resources\":{\"ramMib\":256,\"vramMib\":0,"
                + "\"cores\":1},\"quantizations\":[],\"license\":\"Apache-2.0\",\"royaltyMicroCredits\":10},"
                + "\"signature\":{\"payload\":\"" + version.payload() + "\",\"signature\":\"" + version.signature()
                + "\"}}";
    }
}

package io.archipelago.coordinator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.ContainerCargoFixture;
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
 * A container Cargo through the whole exchange: a consumer's chat completion is placed on an Island that serves the
 * Cargo type from a signed OCI image in a real registry, and the answer is what the container wrote, run by runc
 * under seccomp. An Island serving an image altered in the registry refuses to run it, and the job is not served.
 */
class ContainerCargoJobTest {

    private static final String ECHO = "container.echo";
    private static final String ALTERED = "container.altered";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aChatCompletionIsAnsweredByTheContainerAndAnAlteredImageIsRefused() throws Exception {
        String missing = ContainerCargoFixture.missing();
        assumeTrue(missing.isEmpty(), missing);
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        try (ContainerCargoFixture registry = new ContainerCargoFixture(images);
             CoordinatorProcess coordinator = CoordinatorProcess.start(dir,
                     List.of("-Xmx384m"), Map.of("archipelago.bridge.probe-interval", "200ms",
                             "archipelago.openai.bid-ttl", "5s"))) {
            String echo = registry.signedImage("cargos/echo",
                    "read input; echo \"container read $(echo \"$input\" | grep -o '\"content\":\"[^\"]*\"')\";"
                    + " grep '^Seccomp:' /proc/self/status");
            String altered = registry.alteredImage("cargos/altered", "echo should never run");
            String key = coordinator.openMarket(ECHO);
            coordinator.post("/cargos", "{\"cargo\":\"" + ALTERED + "\",\"unit\":\"THOUSAND_TOKENS\","
                    + "\"publisher\":\"publisher-1\",\"royaltyMicroCredits\":10}");
            IslandAgent island = IslandAgent.start(new AgentSettings("box-1", "host-box-1", "DE",
                    Map.of(ECHO, 1_000L, ALTERED, 1_000L), 2, List.of(), coordinator.url(), null, "demo", null, null,
                    Duration.ZERO, Map.of(), List.of(), null, CoordinatorProcess.OPERATOR_TOKEN, registry.registry(),
                    Map.of(ECHO, echo, ALTERED, altered), List.of(registry.publicKey())));
            try {
                await().atMost(WAIT).until(() -> coordinator.get("/v1/models").path("data").size() == 2);
                HttpResponse<String> chat = coordinator.send("POST", "/v1/chat/completions", key,
                        "{\"model\":\"" + ECHO + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello box\"}]}");
                assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
                JsonNode answer = json.readTree(chat.body());
                assertThat(answer.path("choices").get(0).path("message").path("content").asText())
                        .isEqualTo("container read \"content\":\"hello box\"Seccomp:\t2");

                HttpResponse<String> refused = coordinator.send("POST", "/v1/chat/completions", key,
                        "{\"model\":\"" + ALTERED + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                // the Island reports the refusal as the job's error; nothing was streamed, so the job goes back
                // to the book for another Island, and with none its bid expires
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(json.readTree(refused.body()).path("error").path("code").asText())
                        .isEqualTo("no_eligible_island");
                assertThat(refused.body()).doesNotContain("should never run");
            } finally {
                island.close();
            }
        }
    }
}

package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.access.TestCredentials;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.projections.island.IslandViews;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A rollout through the OpenAI door: consumers ask for the model name {@code llm.chat}, which is split across two
 * Cargo types served by scripted Islands (test doubles for hosts' model servers), the incumbent's failing every
 * third job and the challenger's answering every one. The rollout promotes the challenger by its sequential test,
 * records the decision with its statistics, and from then on sends every request to it.
 */
class RolloutOverHttpTest {

    private static final String ROLLOUT = "llm.chat";
    private static final String OLD = "llm.chat.v1";
    private static final String NEW = "llm.chat.v2";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private URI url = URI.create("http://127.0.0.1");

    @Test
    void theBetterVariantIsPromotedAndThenServesEveryRequest(@TempDir Path dataDir) throws Exception {
        // up to 200 chats and as many reads of the rollout back to back, faster than an account's 50 a second when
        // the scripted Island answers at once: the test is of the rollout, not of the rate limit
        try (ConfigurableApplicationContext coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of(
                "archipelago.security.rate-limit.requests-per-second", "1000",
                "archipelago.security.rate-limit.burst", "1000"))) {
            url = WholeCoordinator.url(coordinator);
            String key = json.readTree(send("POST", "/accounts/demo-consumer/keys", TestCredentials.OPERATOR_TOKEN,
                    null).body()).path("key").asText();
            for (String cargo : List.of(OLD, NEW)) {
                assertThat(send("POST", "/cargos", TestCredentials.OPERATOR_TOKEN, "{\"cargo\":\"" + cargo
                        + "\",\"unit\":\"THOUSAND_TOKENS\",\"publisher\":\"publisher-1\",\"royaltyMicroCredits\":0}")
                        .statusCode()).isEqualTo(201);
            }
            IslandViews islands = coordinator.getBean(IslandViews.class);
            try (ScriptedIsland failing = island(islands, "rollout-old", OLD, ScriptedIsland.Script.FAIL_EVERY_THIRD);
                 ScriptedIsland answering = island(islands, "rollout-new", NEW, ScriptedIsland.Script.ANSWER)) {
                HttpResponse<String> refused = send("POST", "/rollouts", key, start());
                assertThat(refused.statusCode()).as("starting a rollout is the operator's").isEqualTo(403);
                HttpResponse<String> started = send("POST", "/rollouts", TestCredentials.OPERATOR_TOKEN, start());
                assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
                await().atMost(Duration.ofSeconds(20)).until(() -> send("GET", "/rollouts/" + ROLLOUT, key, null)
                        .statusCode() == 200);

                Map<String, Integer> served = new HashMap<>();
                String status = "RUNNING";
                String firstJob = "";
                for (int i = 0; i < 200 && status.equals("RUNNING"); i++) {
                    HttpResponse<String> answer = chat(key);
                    if (firstJob.isEmpty() && answer.statusCode() == 200) {
                        firstJob = answer.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
                    }
                    if (answer.statusCode() == 200) {
                        assertThat(answer.headers().firstValue("X-Archipelago-Rollout")).contains(ROLLOUT);
                        served.merge(json.readTree(answer.body()).path("model").asText(), 1, Integer::sum);
                    } else {
                        served.merge("failed", 1, Integer::sum);
                    }
                    status = rollout(key).path("status").asText();
                }
                String finalStatus = await().atMost(Duration.ofSeconds(20)).until(() -> rollout(key).path("status")
                        .asText(), value -> !value.equals("RUNNING"));

                JsonNode rollout = rollout(key);
                assertThat(finalStatus).as(rollout.toString()).isEqualTo("PROMOTED");
                assertThat(rollout.path("winner").asText()).isEqualTo(NEW);
                assertThat(served).containsKeys(OLD, NEW, "failed");
                JsonNode decision = rollout.path("decisions").path(0);
                assertThat(decision.path("verdict").asText()).isEqualTo("PROMOTE");
                assertThat(decision.path("variant").asText()).isEqualTo(NEW);
                assertThat(decision.path("pValue").asDouble()).isLessThanOrEqualTo(0.05);
                assertThat(decision.path("difference").asDouble()).isPositive();
                assertThat(rollout.path("variants").path(0).path("failures").asLong()).isPositive();
                assertThat(rollout.path("variants").path(1).path("failures").asLong()).isZero();
                assertThat(rollout.path("variants").path(1).path("meanTtftMicros").asLong()).isPositive();
                assertThat(rollout.path("variants").path(1).path("weight").asInt()).isEqualTo(1_000);

                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> after = chat(key);
                    assertThat(after.statusCode()).isEqualTo(200);
                    assertThat(json.readTree(after.body()).path("model").asText()).isEqualTo(NEW);
                }

                // the first job's outcome was counted long before the rollout ended
                String job = firstJob;
                assertThat(send("POST", "/rollouts/" + ROLLOUT + "/jobs/" + job + "/feedback", key,
                        "{\"score\":2}").statusCode()).as("a score is 0 to 1").isEqualTo(400);
                assertThat(send("POST", "/rollouts/" + ROLLOUT + "/jobs/" + job + "/feedback", key,
                        "{\"score\":0.5}").statusCode()).isEqualTo(204);
                assertThat(send("POST", "/rollouts/" + ROLLOUT + "/jobs/not-a-job-of-mine/feedback", key,
                        "{\"score\":0.5}").statusCode()).isEqualTo(404);
            }
        }
    }

    private static String start() {
        return "{\"model\":\"" + ROLLOUT + "\",\"variants\":[{\"model\":\"" + OLD + "\",\"weight\":50},"
                + "{\"model\":\"" + NEW + "\",\"weight\":50}],\"tau\":0.2,\"minimumPerVariant\":15}";
    }

    private JsonNode rollout(String key) throws Exception {
        return json.readTree(send("GET", "/rollouts/" + ROLLOUT, key, null).body());
    }

    private HttpResponse<String> chat(String key) throws Exception {
        return send("POST", "/v1/chat/completions", key, "{\"model\":\"" + ROLLOUT + "\",\"jurisdiction\":\"PL\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"which version are you\"}]}");
    }

    private ScriptedIsland island(IslandViews views, String id, String cargo, ScriptedIsland.Script script)
            throws Exception {
        ScriptedIsland island = new ScriptedIsland(url, TestCredentials.OPERATOR_TOKEN, id, "PL", cargo, 500,
                script);
        await().atMost(Duration.ofSeconds(15)).until(() -> views.find(island.islandId)
                .filter(view -> view.online() && view.rttMicros() != null).isPresent());
        return island;
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

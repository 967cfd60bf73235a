package io.archipelago.coordinator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input acknowledged with 204 is in PostgreSQL: a coordinator killed with SIGKILL after the acknowledgement and
 * before the job's placement is restarted on the same data, and the job runs on that input (the demo Island says
 * how many words it heard), whether its bid comes after the restart or rested in the book through it. Inputs over
 * {@code archipelago.inputs.max-bytes} are refused whole, as a problem on {@code /jobs} and in OpenAI's shape on
 * {@code /v1}; a batch item with such an input fails without retries.
 */
class DurableInputsTest {

    private static final String MODEL = "llm.chat.demo";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int MAX_BYTES = 2_048;
    private static final Map<String, Object> SETTINGS = Map.of(
            "archipelago.inputs.max-bytes", MAX_BYTES,
            "archipelago.bridge.probe-interval", "200ms",
            "archipelago.bridge.stall-timeout", "2s",
            "logging.level.io.archipelago", "INFO");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aJobRunsOnTheInputAcknowledgedBeforeTheCoordinatorWasKilled() throws Exception {
        CoordinatorProcess first = CoordinatorProcess.start(dir, List.of("-Xmx384m"), SETTINGS);
        try {
            first.openMarket(MODEL);
            assertThat(first.send("PUT", "/jobs/job-bid-later/input", CoordinatorProcess.OPERATOR_TOKEN,
                    "{\"prompt\":\"one two three four five six seven\"}").statusCode()).isEqualTo(204);
            assertThat(first.send("PUT", "/jobs/job-resting/input", CoordinatorProcess.OPERATOR_TOKEN,
                    "{\"prompt\":\"alpha beta gamma\"}").statusCode()).isEqualTo(204);
            // no Island yet: the bid rests in the book, its job not placed when the coordinator dies
            assertThat(first.post("/markets/" + MODEL + "/bids", bid("job-resting")).path("status").asText())
                    .isEqualTo("RESTING");
            first.kill();

            try (CoordinatorProcess second = CoordinatorProcess.start(dir, List.of("-Xmx384m"), SETTINGS)) {
                CompletableFuture<String> resting = output(second, "job-resting");
                CompletableFuture<String> later = output(second, "job-bid-later");
                IslandAgent island = IslandAgent.start(new AgentSettings("echo-1", "host-echo-1", "DE",
                        Map.of(MODEL, 1_000L), 2, List.of(), second.url(), null, "demo", null, null, Duration.ZERO)
                        .withKey(CoordinatorProcess.OPERATOR_TOKEN));
                try {
                    assertThat(resting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("heard 3 words: gamma");
                    assertThat(second.post("/markets/" + MODEL + "/bids", bid("job-bid-later")).path("status")
                            .asText()).isEqualTo("PLACED");
                    assertThat(later.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("heard 7 words: seven six");
                    await().atMost(WAIT).until(() -> second.get("/jobs/job-bid-later").path("status").asText()
                            .equals("COMPLETED"));
                } finally {
                    island.close();
                }
            }
        } finally {
            first.close();
        }
    }

    @Test
    void anInputOverTheLimitIsRefusedWholeByEveryDoor() throws Exception {
        try (CoordinatorProcess coordinator = CoordinatorProcess.start(dir, List.of("-Xmx384m"), SETTINGS)) {
            String key = coordinator.openMarket(MODEL);
            String words = "word ".repeat(MAX_BYTES / 5 + 1).trim();

            HttpResponse<String> refused = coordinator.send("PUT", "/jobs/job-big/input",
                    CoordinatorProcess.OPERATOR_TOKEN, "{\"prompt\":\"" + words + "\"}");
            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = json.readTree(refused.body());
            assertThat(problem.path("status").asInt()).isEqualTo(413);
            assertThat(problem.path("detail").asText()).contains("limit of " + MAX_BYTES + " bytes");
            assertThat(problem.path("limitBytes").asInt()).isEqualTo(MAX_BYTES);

            await().atMost(WAIT).until(() -> coordinator.get("/v1/models").path("data").size() == 1);
            HttpResponse<String> chat = coordinator.send("POST", "/v1/chat/completions", key,
                    "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + words + "\"}]}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(413);
            JsonNode error = json.readTree(chat.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("input_too_large");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("message").asText()).contains("limit of " + MAX_BYTES + " bytes");
            // in a batch the item fails at once, without the attempts a retry would waste on the same input
            HttpResponse<String> batch = coordinator.send("POST", "/batches", key, "{\"model\":\"" + MODEL
                    + "\",\"inputs\":[{\"messages\":[{\"role\":\"user\",\"content\":\"" + words + "\"}]}]}");
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
            String batchId = json.readTree(batch.body()).path("id").asText();
            JsonNode ended = await().atMost(WAIT).until(() -> json.readTree(coordinator.send("GET",
                    "/batches/" + batchId, key, "").body()), view -> !view.path("status").asText().equals("running"));
            JsonNode item = ended.path("items").get(0);
            assertThat(item.path("status").asText()).as(ended.toString()).isEqualTo("failed");
            assertThat(item.path("attempts").asInt()).as(ended.toString()).isEqualTo(1);
            // nothing of any was kept: no job took an input, no bid went in
            assertThat(coordinator.get("/accounts/consumer-1/balance").path("escrowMicroCredits").asLong()).isZero();
        }
    }

    private static String bid(String jobId) {
        return "{\"jobId\":\"" + jobId + "\",\"consumer\":\"consumer-1\",\"limitMicroCredits\":5000,\"maxUnits\":10,"
                + "\"ttlSeconds\":300}";
    }

    /** The text the job streams, once its stream ended: its chunks' texts one after the other. */
    private CompletableFuture<String> output(CoordinatorProcess coordinator, String jobId) {
        HttpRequest request = HttpRequest.newBuilder(coordinator.url().resolve("/jobs/" + jobId + "/output"))
                .header("Authorization", "Bearer " + CoordinatorProcess.OPERATOR_TOKEN)
                .header("Accept", "text/event-stream").build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApply(response -> response.body()
                .takeWhile(line -> !line.startsWith("event:completed") && !line.startsWith("event:failed"))
                .filter(line -> line.startsWith("data:"))
                .map(line -> text(line.substring("data:".length())))
                .collect(Collectors.joining()));
    }

    private String text(String data) {
        try {
            return json.readTree(data).path("text").asText();
        } catch (Exception notAChunk) {
            return "";
        }
    }
}

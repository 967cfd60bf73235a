package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.access.ApiKeys;
import io.archipelago.access.TestCredentials;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The official {@code openai} npm package (coordinator/src/test/node, installed by {@code npm ci}) against a whole
 * coordinator with its three demo Islands on {@code llm.chat.demo}: models, a chat completion streamed and not, and
 * APIErrors for a bad key, an unknown model, an exhausted balance and a jurisdiction no Island is in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiClientTest {

    private static final String MODEL = "llm.chat.demo";
    private static final Path NODE_DIR = Path.of("src/test/node");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");

    @BeforeAll
    void start(@TempDir Path dataDir) {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of("archipelago.openai.resting-wait", "1s"));
        url = WholeCoordinator.url(coordinator);
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void theOfficialClientChatsStreamedAndNotAndSeesTheExchangesErrors() throws Exception {
        assertThat(NODE_DIR.resolve("node_modules/openai")).as("run: npm ci --prefix coordinator/src/test/node")
                .isDirectory();
        String key = issueKey("demo-consumer");

        ProcessBuilder builder = new ProcessBuilder("node", "chat.mjs").directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("BASE_URL", url.toString());
        builder.environment().put("API_KEY", key);
        builder.environment().put("MODEL", MODEL);
        Process node = builder.start();
        byte[] output = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = new String(output, StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(printed).isZero();
        JsonNode results = json.readTree(printed);

        assertThat(results.path("models").toString()).contains(MODEL);
        assertThat(results.path("retrieved").asText()).isEqualTo(MODEL);
        assertError(results.path("missingModel"), 404, "model_not_found");

        JsonNode completion = results.path("completion");
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.path("role").asText()).isEqualTo("assistant");
        assertThat(completion.path("content").asText()).startsWith("[demo] Island demo-")
                .endsWith("heard 4 words: world new brave hello.");
        assertThat(completion.path("finish").asText()).isEqualTo("stop");
        assertThat(completion.path("usage").path("prompt_tokens").asInt()).isEqualTo(4);
        assertThat(completion.path("usage").path("completion_tokens").asInt()).isEqualTo(11);

        JsonNode streamed = results.path("streamed");
        // the role chunk, eleven tokens, the finish chunk and the usage chunk
        assertThat(streamed.path("chunks").asInt()).isEqualTo(14);
        assertThat(streamed.path("content").asText()).endsWith("heard 4 words: world new brave hello.");
        assertThat(streamed.path("finish").asText()).isEqualTo("stop");
        assertThat(streamed.path("usage").path("total_tokens").asInt()).isEqualTo(15);

        assertError(results.path("badKey"), 401, "invalid_api_key");
        assertError(results.path("unknownModel"), 404, "model_not_found");
        assertError(results.path("exhausted"), 402, "insufficient_quota");
        // no Island serves the US: retrying cannot help, so it is a 4xx naming the constraint, at once
        assertError(results.path("impossibleJurisdiction"), 400, "no_eligible_island");
        assertThat(results.path("impossibleJurisdiction").path("message").asText())
                .contains("excluded by jurisdiction");

        // the client left after three chunks of a job that would have streamed 2,007 tokens (3 units): it pays for
        // the one unit of the tokens it received, and the Island's job ends cancelled, not completed
        String aborted = results.path("aborted").path("jobId").asText();
        assertThat(results.path("aborted").path("chunks").asInt()).isEqualTo(3);
        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.sql(
                        "SELECT status || ':' || units FROM job_view WHERE job_id = :job")
                .param("job", aborted).query(String.class).optional()).contains("CANCELLED:1"));
    }

    @Test
    void keysAreStoredOnlyAsHashesAndMalformedRequestsAnswerOpenAiErrors() throws Exception {
        String key = issueKey("demo-consumer");
        String stored = coordinator.getBean(JdbcClient.class)
                .sql("SELECT sha256 FROM api_key WHERE prefix = :prefix")
                .param("prefix", key.substring(0, ApiKeys.PREFIX_LENGTH)).query(String.class).single();
        assertThat(stored).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8))));
        assertThat(coordinator.getBean(JdbcClient.class).sql("SELECT count(*) FROM api_key WHERE prefix = :key")
                .param("key", key).query(Long.class).single()).isZero();

        HttpResponse<String> noKey = post("/v1/chat/completions", null, "{}");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(json.readTree(noKey.body()).path("error").path("code").asText()).isEqualTo("invalid_api_key");

        HttpResponse<String> broken = post("/v1/chat/completions", key, "{\"model\":");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json.readTree(broken.body()).path("error").path("type").asText())
                .isEqualTo("invalid_request_error");

        HttpResponse<String> noMessages = post("/v1/chat/completions", key, "{\"model\":\"" + MODEL + "\"}");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noMessages.body()).path("error").path("message").asText()).contains("messages");
    }

    @Test
    void aPathOrMethodNoRouteTakesIsAnOpenAiErrorUnderV1AndAProblemElsewhere() throws Exception {
        String key = issueKey("demo-consumer");

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(url.resolve("/v1/completions/legacy"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).path("error").path("message").asText())
                .startsWith("Invalid URL (GET /v1/completions/legacy)");

        HttpResponse<String> otherMethod = http.send(HttpRequest.newBuilder(url.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(otherMethod.statusCode()).isEqualTo(405);
        assertThat(json.readTree(otherMethod.body()).path("error").path("code").asText())
                .isEqualTo("method_not_allowed");

        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(url.resolve("/no/such/resource"))
                .header("Authorization", "Bearer " + TestCredentials.OPERATOR_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json.readTree(elsewhere.body()).path("status").asInt()).isEqualTo(404);
    }

    @Test
    void theStreamIsFramedAsOneJsonLineAndABlankLinePerEventEndingWithDone() throws Exception {
        String key = issueKey("demo-consumer");
        HttpResponse<String> response = post("/v1/chat/completions", key, "{\"model\":\"" + MODEL + "\","
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        String[] events = response.body().split("\n\n", -1);
        assertThat(events[events.length - 1]).isEmpty();
        assertThat(events[events.length - 2]).isEqualTo("data: [DONE]");
        for (int i = 0; i < events.length - 2; i++) {
            assertThat(events[i]).startsWith("data: {").doesNotContain("\n");
            assertThat(json.readTree(events[i].substring("data: ".length())).path("object").asText())
                    .isEqualTo("chat.completion.chunk");
        }
    }

    private void assertError(JsonNode error, int status, String code) {
        assertThat(error.path("apiError").asBoolean()).as(error.toString()).isTrue();
        assertThat(error.path("status").asInt()).as(error.toString()).isEqualTo(status);
        assertThat(error.path("code").asText()).as(error.toString()).isEqualTo(code);
    }

    @Test
    void aClientThatReconnectsWithLastEventIdResumesAfterTheChunkItSaw() throws Exception {
        String key = issueKey("demo-consumer");
        HttpResponse<String> chat = post("/v1/chat/completions", key, "{\"model\":\"" + MODEL + "\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"resume me please\"}]}");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        String job = chat.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();

        List<String> whole = output(job, key, null);
        List<String> resumed = output(job, key, "6");
        assertThat(whole).filteredOn(line -> line.startsWith("id:")).hasSizeGreaterThan(7);
        assertThat(resumed).filteredOn(line -> line.startsWith("id:")).first().isEqualTo("id:7");
        assertThat(resumed).contains("event:completed");
        // what the reconnected client gets is exactly the rest of what the first one got
        // (from the event line of chunk 7, just before its id)
        assertThat(whole.subList(whole.indexOf("id:7") - 1, whole.size())).isEqualTo(resumed);

        HttpResponse<String> nonsense = http.send(HttpRequest.newBuilder(url.resolve("/jobs/" + job + "/output"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "seven").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(nonsense.statusCode()).isEqualTo(400);
        assertThat(nonsense.body()).contains("Last-Event-ID");
    }

    @Test
    void theJobOfAStreamIsReadableByItsIdTheMomentTheHeadersArrive() throws Exception {
        String key = issueKey("demo-consumer");
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(url.resolve(
                        "/v1/chat/completions")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"" + MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"read my job\"}]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String job = stream.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();

        HttpResponse<String> read = http.send(HttpRequest.newBuilder(url.resolve("/jobs/" + job))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        try (InputStream body = stream.body()) {
            body.readAllBytes();
        }

        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(json.readTree(read.body()).path("jobId").asText()).isEqualTo(job);
        assertThat(json.readTree(read.body()).path("consumer").asText()).isEqualTo("demo-consumer");
        assertThat(post("/accounts", TestCredentials.OPERATOR_TOKEN,
                "{\"accountId\":\"job-reader\",\"country\":\"DE\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(url.resolve("/jobs/" + job))
                .header("Authorization", "Bearer " + issueKey("job-reader")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).as("another account's job is not known to it").isEqualTo(404);
    }

    /** The lines of a job's output stream up to its end, resumed after {@code lastEventId} when given. */
    private List<String> output(String job, String key, @Nullable String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("/jobs/" + job + "/output"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().lines().filter(line -> !line.isBlank()).toList();
    }

    private String issueKey(String account) throws Exception {
        HttpResponse<String> issued = post("/accounts/" + account + "/keys", TestCredentials.OPERATOR_TOKEN, "");
        assertThat(issued.statusCode()).isEqualTo(201);
        String key = json.readTree(issued.body()).path("key").asText();
        assertThat(key).startsWith(ApiKeys.SCHEME);
        return key;
    }

    private HttpResponse<String> post(String path, @Nullable String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.access.ApiKeys;
import io.archipelago.access.TestCredentials;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.projections.market.MarketViews;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Image generation against a whole coordinator with its demo image Island on {@code images.demo}: the official
 * {@code openai} npm client (coordinator/src/test/node/images.mjs) generating whole ({@code b64_json} and
 * {@code url}) and streamed images, an idempotent retry, usage charged per image; a URL past its expiry refused;
 * an Island fronting a stand-in AUTOMATIC1111 server that fails mid-way, whose job is refunded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesTest {

    private static final String MODEL = "images.demo";
    private static final String SECRET = "images-test-url-secret";
    private static final Path NODE_DIR = Path.of("src/test/node");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");

    @BeforeAll
    void start(@TempDir Path dataDir) {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of("archipelago.openai.resting-wait", "5s",
                "archipelago.images.url-secret", SECRET));
        url = WholeCoordinator.url(coordinator);
        MarketViews markets = coordinator.getBean(MarketViews.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> markets.find(MODEL)
                .map(market -> market.onlineAsks() == 1).orElse(false));
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void theOfficialClientGeneratesImagesWholeAndStreamedAndIsChargedPerImage() throws Exception {
        assertThat(NODE_DIR.resolve("node_modules/openai")).as("run: npm ci --prefix coordinator/src/test/node")
                .isDirectory();
        ProcessBuilder builder = new ProcessBuilder("node", "images.mjs").directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("BASE_URL", url.toString());
        builder.environment().put("API_KEY", issueKey("demo-consumer"));
        builder.environment().put("MODEL", MODEL);
        builder.environment().put("IDEMPOTENCY_KEY", "images-" + UUID.randomUUID());
        Process node = builder.start();
        byte[] output = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = new String(output, StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(printed).isZero();
        JsonNode results = json.readTree(printed);

        JsonNode b64 = results.path("b64");
        assertThat(b64.path("count").asInt()).isEqualTo(2);
        assertThat(b64.path("png").asBoolean()).isTrue();
        assertThat(b64.path("sha256")).isEqualTo(b64.path("claimed"));
        assertThat(b64.path("sha256").get(0)).isNotEqualTo(b64.path("sha256").get(1));
        assertThat(b64.path("units").asInt()).isEqualTo(2);
        assertThat(b64.path("unit").asText()).isEqualTo("image");
        assertThat(b64.path("outputFormat").asText()).isEqualTo("png");

        // the same prompt paints the same first image; its URL needs no key, a tampered one is refused
        JsonNode byUrl = results.path("url");
        assertThat(byUrl.path("status").asInt()).isEqualTo(200);
        assertThat(byUrl.path("type").asText()).isEqualTo("image/png");
        assertThat(byUrl.path("sha256")).isEqualTo(b64.path("sha256").get(0));
        assertThat(byUrl.path("tampered").path("status").asInt()).isEqualTo(403);
        assertThat(byUrl.path("tampered").path("body").path("error").path("code").asText())
                .isEqualTo("invalid_signature");

        JsonNode streamed = results.path("streamed");
        List<JsonNode> progress = List.copyOf(json.convertValue(streamed.path("progress"),
                json.getTypeFactory().constructCollectionType(List.class, JsonNode.class)));
        assertThat(progress).hasSizeGreaterThan(2);
        JsonNode last = progress.get(progress.size() - 1);
        assertThat(last.path("value").asLong()).isEqualTo(last.path("max").asLong()).isPositive();
        assertThat(last.path("stage").asText()).isEqualTo("painting");
        assertThat(streamed.path("partials")).hasSize(2);
        assertThat(streamed.path("partials").get(0).path("index").asInt()).isZero();
        assertThat(streamed.path("partials").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(streamed.path("partials").get(1).path("png").asBoolean()).isTrue();
        assertThat(streamed.path("completed")).hasSize(1);
        assertThat(streamed.path("completed").get(0).path("png").asBoolean()).isTrue();
        assertThat(streamed.path("completed").get(0).path("sha256"))
                .isEqualTo(streamed.path("completed").get(0).path("claimed"));

        JsonNode idempotent = results.path("idempotent");
        assertThat(idempotent.path("again").asText()).isEqualTo(idempotent.path("first").asText()).isNotEmpty();
        assertThat(idempotent.path("againJob").asText()).isEqualTo(idempotent.path("firstJob").asText());
        assertThat(idempotent.path("replayed").asText()).isEqualTo("true");

        assertThat(results.path("unknownModel").path("status").asInt()).isEqualTo(404);
        assertThat(results.path("unknownModel").path("code").asText()).isEqualTo("model_not_found");
        assertThat(results.path("badSize").path("status").asInt()).isEqualTo(400);

        // charged per image: the two-image job settled two units at its price per unit, and its hashes are kept
        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        String job = b64.path("job").asText();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.sql(
                "SELECT status FROM job_view WHERE job_id = :job").param("job", job).query(String.class).optional())
                .contains("COMPLETED"));
        Map<String, Object> settled = jdbc.sql("SELECT units, charged_micro_credits, ask_micro_credits, "
                + "royalty_micro_credits, fee_micro_credits FROM job_view WHERE job_id = :job").param("job", job)
                .query().singleRow();
        long perImage = (Long) settled.get("ask_micro_credits") + (Long) settled.get("royalty_micro_credits")
                + (Long) settled.get("fee_micro_credits");
        assertThat(settled.get("units")).isEqualTo(2L);
        assertThat(settled.get("charged_micro_credits")).isEqualTo(2 * perImage);
        assertThat(jdbc.sql("SELECT sha256 FROM image_artifact WHERE job_id = :job ORDER BY image_index")
                .param("job", job).query(String.class).list())
                .containsExactly(b64.path("sha256").get(0).asText(), b64.path("sha256").get(1).asText());
    }

    @Test
    void theWebSocketStreamsProgressAndTheImageThenDone() throws Exception {
        List<JsonNode> frames = new CopyOnWriteArrayList<>();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + issueKey("demo-consumer"))
                .buildAsync(URI.create("ws://" + url.getAuthority() + "/v1/ws"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(parse(partial.toString()));
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"images.generations\",\"request_id\":\"img-1\",\"request\":{\"model\":\""
                + MODEL + "\",\"prompt\":\"a paper boat\",\"size\":\"64x64\"}}", true).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.stream()
                .anyMatch(frame -> frame.path("type").asText().matches("done|error")));

        assertThat(frames).allSatisfy(frame -> assertThat(frame.path("request_id").asText()).isEqualTo("img-1"));
        List<String> types = frames.stream().map(frame -> frame.path("type").asText()).toList();
        assertThat(types).containsSequence("image_generation.completed", "done").startsWith("progress")
                .doesNotContain("error");
        JsonNode lastProgress = frames.get(types.lastIndexOf("progress"));
        assertThat(lastProgress.path("value").asLong()).isEqualTo(lastProgress.path("max").asLong());
        JsonNode image = frames.get(types.indexOf("image_generation.completed"));
        byte[] png = Base64.getDecoder().decode(image.path("b64_json").asText());
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    private JsonNode parse(String frame) {
        try {
            return json.readTree(frame);
        } catch (IOException notJson) {
            throw new IllegalStateException(notJson);
        }
    }

    @Test
    void aClientThatLeavesMidStreamCancelsItsJobAndPaysForTheImagesItGot() throws Exception {
        String key = issueKey("demo-consumer");
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url.resolve("/v1/images/generations"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"prompt\":\"a long "
                        + "walk\",\"n\":4,\"size\":\"256x256\",\"stream\":true}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String job = response.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = events.readLine();
            } while (line != null && !line.startsWith("event: progress"));
            assertThat(line).isNotNull();
        }

        // it left after the first step of four images: the job ends cancelled at the none it received
        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.sql(
                        "SELECT status || ':' || units FROM job_view WHERE job_id = :job")
                .param("job", job).query(String.class).optional()).contains("CANCELLED:0"));
    }

    @Test
    void aUrlPastItsExpiryIsRefusedThoughItsSignatureIsGood() throws Exception {
        String key = issueKey("demo-consumer");
        HttpResponse<String> generated = post("/v1/images/generations", key, "{\"model\":\"" + MODEL + "\","
                + "\"prompt\":\"a short-lived kite\",\"size\":\"32x32\",\"response_format\":\"url\"}");
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String job = generated.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
        URI live = URI.create(json.readTree(generated.body()).path("data").get(0).path("url").asText());
        assertThat(http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofByteArray())
                .statusCode()).isEqualTo(200);

        long past = Instant.now().minusSeconds(1).getEpochSecond();
        URI expired = url.resolve(ImageArtifacts.PATH + job + "/0.png?expires=" + past + "&signature="
                + sign(job, 0, past));
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(expired).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("url_expired");
    }

    @Test
    void aJobThatFailsMidWayIsRefundedAndNamesTheFailure() throws Exception {
        String cargo = "images.sd-standin";
        operator("/cargos", "{\"cargo\":\"" + cargo + "\",\"unit\":\"IMAGE\",\"publisher\":\"demo-publisher\","
                + "\"royaltyMicroCredits\":100}");
        operator("/accounts", "{\"accountId\":\"host-sd-island\",\"country\":\"DE\"}");
        String hostKey = coordinator.getBean(ApiKeys.class).issue(new AccountId("host-sd-island")).key();
        try (StandInAutomatic1111 server = new StandInAutomatic1111();
             IslandAgent island = IslandAgent.start(new AgentSettings("sd-island", "host-sd-island", "DE",
                     Map.of(cargo, 3_000L), 1, List.of(), url, null, "automatic1111", server.url(), null,
                     Duration.ZERO, Map.of(), List.of(), null, hostKey))) {
            MarketViews markets = coordinator.getBean(MarketViews.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> markets.find(cargo)
                    .map(market -> market.onlineAsks() == 1).orElse(false));
            String key = issueKey("demo-consumer");
            long before = available("demo-consumer");

            HttpResponse<String> failed = post("/v1/images/generations", key, "{\"model\":\"" + cargo + "\","
                    + "\"prompt\":\"a castle\",\"n\":2,\"size\":\"512x512\",\"stream\":true}");

            assertThat(server.requests.get()).isEqualTo(1);
            assertThat(failed.statusCode()).isEqualTo(200);
            assertThat(failed.body()).contains("event: progress").contains("\"stage\":\"sampling\"")
                    .contains("\"code\":\"island_failed\"").contains("500")
                    .doesNotContain("image_generation.completed");
            String job = failed.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
            JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.sql(
                    "SELECT status FROM job_view WHERE job_id = :job").param("job", job).query(String.class)
                    .optional()).contains("FAILED"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(available("demo-consumer")).isEqualTo(before));
        }
    }

    private long available(String account) {
        return coordinator.getBean(JdbcClient.class)
                .sql("SELECT available_micro_credits FROM account_balance_view WHERE account_id = :account")
                .param("account", account).query(Long.class).single();
    }

    private static String sign(String job, int index, long expires) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal((job + "\n" + index + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    }

    private void operator(String path, String body) throws Exception {
        HttpResponse<String> response = post(path, TestCredentials.OPERATOR_TOKEN, body);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201, 204, 409);
    }

    private String issueKey(String account) throws Exception {
        HttpResponse<String> issued = post("/accounts/" + account + "/keys", TestCredentials.OPERATOR_TOKEN, "");
        assertThat(issued.statusCode()).isEqualTo(201);
        return json.readTree(issued.body()).path("key").asText();
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(url.resolve(path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.projections.market.MarketViews;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code POST /v1/embeddings} against a whole coordinator whose demo Islands include demo-embeddings, a real
 * all-MiniLM-L6-v2: the official {@code openai} npm package (coordinator/src/test/node/embeddings.mjs) embeds one text
 * and a list, as Base64 (its default) and as floats; requests the Islands cannot serve answer OpenAI's errors. The
 * same streams over the WebSocket {@code /v1/ws} (java.net.http): a chat and embeddings at once on one socket, and
 * malformed messages answered with error frames while the socket stays open. Browsers, which cannot set
 * {@code Authorization} on a WebSocket, offer the key as the subprotocol {@code bearer.<key>} beside
 * {@code archipelago.v1}: accepted from an allowed origin, refused with a wrong key or from another origin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingsAndWebSocketTest {

    private static final String EMBEDDINGS = "embeddings.minilm";
    private static final String CHAT = "llm.chat.demo";
    private static final String OPERATOR = "test-operator";
    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final String APP_ORIGIN = "https://app.example";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");
    private String key = "";

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of("archipelago.openai.resting-wait", "1s",
                "archipelago.openai.ws.allowed-origins", APP_ORIGIN));
        url = WholeCoordinator.url(coordinator);
        MarketViews markets = coordinator.getBean(MarketViews.class);
        await().atMost(Duration.ofSeconds(90)).until(() -> markets.find(EMBEDDINGS)
                .map(market -> market.onlineAsks() == 1).orElse(false)
                && markets.find(CHAT).map(market -> market.onlineAsks() == 3).orElse(false));
        HttpResponse<String> issued = post("/accounts/demo-consumer/keys", OPERATOR, "");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        key = json.readTree(issued.body()).path("key").asText();
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void theOfficialClientEmbedsOneTextAndAListInOrderAsBase64AndAsFloats() throws Exception {
        assertThat(NODE_DIR.resolve("node_modules/openai")).as("run: npm ci --prefix coordinator/src/test/node")
                .isDirectory();
        JsonNode results = node("embeddings.mjs", EMBEDDINGS);

        JsonNode single = results.path("single");
        assertThat(single.path("object").asText()).isEqualTo("list");
        assertThat(single.path("model").asText()).isEqualTo(EMBEDDINGS);
        assertThat(single.path("count").asInt()).isEqualTo(1);
        assertThat(single.path("itemObject").asText()).isEqualTo("embedding");
        assertThat(single.path("index").asInt()).isZero();
        assertThat(single.path("dims").asInt()).isEqualTo(384);
        // all-MiniLM-L6-v2 normalises its vectors; a wrong Base64 decoding would not come out at length one
        assertThat(single.path("norm").asDouble()).isCloseTo(1.0, within(0.01));
        assertThat(single.path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
        assertThat(single.path("usage").path("total_tokens").asInt()).isEqualTo(7);

        JsonNode list = results.path("list");
        assertThat(list.path("count").asInt()).isEqualTo(3);
        assertThat(list.path("indices").toString()).isEqualTo("[0,1,2]");
        assertThat(list.path("dims").toString()).isEqualTo("[384,384,384]");
        assertThat(list.path("sameAsSingle").asDouble()).isGreaterThan(0.9999);
        assertThat(list.path("paraphrases").asDouble()).isGreaterThan(0.5)
                .isGreaterThan(list.path("unrelated").asDouble() + 0.3);

        JsonNode floats = results.path("float");
        assertThat(floats.path("isArray").asBoolean()).isTrue();
        assertThat(floats.path("dims").asInt()).isEqualTo(384);
        // Base64 carries the same float32 values exactly; the model may differ in the last bits between runs
        assertThat(floats.path("maxDifferenceFromBase64").asDouble()).isLessThan(1e-5);

        JsonNode badKey = results.path("badKey");
        assertThat(badKey.path("authenticationError").asBoolean()).as(badKey.toString()).isTrue();
        assertThat(badKey.path("status").asInt()).isEqualTo(401);
    }

    @Test
    void requestsTheIslandsCannotServeAnswerOpenAiErrors() throws Exception {
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":[[101,2023]]}"), 400,
                "token_input_unsupported");
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":[1,2,3]}"), 400, "token_input_unsupported");
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":\"hi\",\"dimensions\":512}"), 400,
                "invalid_dimensions");
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":\"hi\",\"encoding_format\":\"int8\"}"), 400,
                "invalid_encoding_format");
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":[]}"), 400, "invalid_input");
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":\"" + "a".repeat(8_193) + "\"}"), 400,
                "input_too_long");
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":" + json.writeValueAsString(
                Collections.nCopies(2_049, "hi")) + "}"), 400, "too_many_inputs");
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":" + json.writeValueAsString(
                Collections.nCopies(33, "b".repeat(8_000))) + "}"), 400, "input_too_large");
        assertError(embed("{\"model\":"), 400, "invalid_json");
        assertError(embed("{\"model\":\"no.such.cargo\",\"input\":\"hi\"}"), 404, "model_not_found");
        assertError(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":\"hi\",\"jurisdiction\":\"US\"}"), 400,
                "no_eligible_island");
        // a chat model answers text, not vectors: refused before any Island is asked, nothing charged
        assertError(embed("{\"model\":\"" + CHAT + "\",\"input\":\"hi\"}"), 400, "model_not_supported");
    }

    @Test
    void floatsComeBackAsJsonNumbersInInputOrderWithTheJobId() throws Exception {
        HttpResponse<String> response = embed("{\"model\":\"" + EMBEDDINGS + "\",\"encoding_format\":\"float\","
                + "\"dimensions\":384,\"input\":[\"first text\",\"second text\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Archipelago-Job-Id").orElse("")).startsWith("emb-");
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("data")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode item = body.path("data").get(i);
            assertThat(item.path("index").asInt()).isEqualTo(i);
            assertThat(item.path("embedding").isArray()).isTrue();
            assertThat(item.path("embedding")).hasSize(384);
            assertThat(item.path("embedding").get(0).isNumber()).isTrue();
        }
    }

    @Test
    void oneWebSocketStreamsAChatAndEmbeddingsAtOnceWithTheirRequestIds() throws Exception {
        // the model's first run takes longest; warm it so that the order below shows concurrency, not a cold start
        assertThat(embed("{\"model\":\"" + EMBEDDINGS + "\",\"input\":\"warm up\"}").statusCode()).isEqualTo(200);
        Frames frames = new Frames();
        WebSocket socket = connect(key, frames).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"chat.completions\",\"request_id\":\"chat-1\",\"request\":{\"model\":\""
                + CHAT + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello brave new world\"}],"
                + "\"stream_options\":{\"include_usage\":true}}}", true).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"embeddings\",\"request_id\":\"emb-1\",\"request\":{\"model\":\""
                + EMBEDDINGS + "\",\"input\":[\"one\",\"two\"],\"encoding_format\":\"float\"}}", true)
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.done("chat-1") && frames.done("emb-1"));

        List<JsonNode> chat = frames.of("chat-1");
        // as on the SSE stream: the role chunk, eleven tokens, the finish chunk and the usage chunk, then done
        assertThat(chat).hasSize(15);
        StringBuilder content = new StringBuilder();
        for (JsonNode chunk : chat.subList(0, 14)) {
            assertThat(chunk.path("type").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("id").asText()).startsWith("chatcmpl-");
            content.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertThat(content.toString()).startsWith("[demo] Island demo-")
                .endsWith("heard 4 words: world new brave hello.");
        assertThat(chat.get(12).path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(chat.get(13).path("usage").path("total_tokens").asInt()).isEqualTo(15);
        assertThat(chat.get(14).path("type").asText()).isEqualTo("done");
        assertThat(chat.get(14).path("job_id").asText()).isEqualTo(chat.get(0).path("id").asText());

        List<JsonNode> embedded = frames.of("emb-1");
        assertThat(embedded).hasSize(2);
        assertThat(embedded.get(0).path("type").asText()).isEqualTo("embeddings");
        assertThat(embedded.get(0).path("object").asText()).isEqualTo("list");
        assertThat(embedded.get(0).path("data")).hasSize(2);
        assertThat(embedded.get(0).path("data").path(1).path("index").asInt()).isEqualTo(1);
        assertThat(embedded.get(0).path("data").path(1).path("embedding")).hasSize(384);
        assertThat(embedded.get(1).path("type").asText()).isEqualTo("done");
        // sent second, answered first: the chat's slow stream did not hold the embeddings back
        assertThat(frames.indexOfDone("emb-1")).isLessThan(frames.indexOfDone("chat-1"));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRepeatedDeterministicChatOnTheSocketIsAnsweredFromTheCacheInTheSameFrames() throws Exception {
        Frames frames = new Frames();
        WebSocket socket = connect(key, frames).get(10, TimeUnit.SECONDS);
        String request = "\"request\":{\"model\":\"" + CHAT + "\",\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"cache me on the socket\"}]}}";
        socket.sendText("{\"type\":\"chat.completions\",\"request_id\":\"live\"," + request, true)
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.done("live"));
        await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(http.send(HttpRequest.newBuilder(
                url.resolve("/cache/stats")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("entries").asLong() >= 1);
        socket.sendText("{\"type\":\"chat.completions\",\"request_id\":\"again\"," + request, true)
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.done("again"));

        List<JsonNode> live = frames.of("live");
        List<JsonNode> again = frames.of("again");
        assertThat(again).hasSameSizeAs(live);
        assertThat(content(again)).isEqualTo(content(live)).endsWith("heard 5 words: socket the on me cache.");
        for (JsonNode chunk : live.subList(0, live.size() - 1)) {
            assertThat(chunk.path("archipelago_cache").asText()).isEqualTo("miss");
        }
        for (JsonNode chunk : again.subList(0, again.size() - 1)) {
            assertThat(chunk.path("archipelago_cache").asText()).isEqualTo("exact");
        }
        assertThat(again.get(again.size() - 1).path("type").asText()).isEqualTo("done");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    private static String content(List<JsonNode> chunks) {
        StringBuilder content = new StringBuilder();
        chunks.forEach(chunk -> content.append(chunk.path("choices").path(0).path("delta").path("content").asText("")));
        return content.toString();
    }

    @Test
    void malformedMessagesGetErrorFramesAndTheSocketStaysOpen() throws Exception {
        Frames frames = new Frames();
        WebSocket socket = connect(key, frames).get(10, TimeUnit.SECONDS);
        socket.sendText("{not json", true).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"images\",\"request_id\":\"img\",\"request\":{}}", true)
                .get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"embeddings\",\"request_id\":\"tokens\",\"request\":{\"model\":\""
                + EMBEDDINGS + "\",\"input\":[[101,2023]]}}", true).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"chat.completions\",\"request_id\":\"nowhere\",\"request\":{\"model\":\""
                + CHAT + "\",\"jurisdiction\":\"US\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}",
                true).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"embeddings\",\"request_id\":\"fine\",\"request\":{\"model\":\""
                + EMBEDDINGS + "\",\"input\":\"still here\"}}", true).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.done("fine") && !frames.of("nowhere").isEmpty());

        assertErrorFrame(frames.of(null), "invalid_json");
        assertErrorFrame(frames.of("img"), "invalid_type");
        assertErrorFrame(frames.of("tokens"), "token_input_unsupported");
        assertErrorFrame(frames.of("nowhere"), "no_eligible_island");
        assertThat(frames.of("fine").get(0).path("data").path(0).path("embedding").isTextual())
                .as("Base64 unless float is asked for").isFalse();
        assertThat(frames.closed).isFalse();
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void anUpgradeWithoutAValidKeyIsRefused() {
        assertThatThrownBy(() -> connect("ak-not-a-key-of-anyone", new Frames()).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(failure -> assertThat(((WebSocketHandshakeException) failure.getCause()).getResponse()
                        .statusCode()).isEqualTo(401));
    }

    private CompletableFuture<WebSocket> connect(String credential, Frames frames) {
        return http.newWebSocketBuilder().header("Authorization", "Bearer " + credential)
                .buildAsync(URI.create("ws://" + url.getAuthority() + "/v1/ws"), frames);
    }

    private static void assertErrorFrame(List<JsonNode> frames, String code) {
        assertThat(frames).as(frames.toString()).hasSize(1);
        assertThat(frames.get(0).path("type").asText()).isEqualTo("error");
        assertThat(frames.get(0).path("error").path("code").asText()).isEqualTo(code);
        assertThat(frames.get(0).path("error").path("message").asText()).isNotBlank();
    }

    /** Every frame a socket received, in order, each read as JSON once its last part arrived. */
    private final class Frames implements WebSocket.Listener {

        private final List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean closed;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(json.readTree(partial.toString()));
                } catch (IOException notJson) {
                    throw new IllegalStateException(notJson);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed = true;
            return null;
        }

        List<JsonNode> of(@Nullable String requestId) {
            return received.stream().filter(frame -> requestId == null ? frame.path("request_id").isNull()
                    : frame.path("request_id").asText().equals(requestId)).toList();
        }

        boolean done(String requestId) {
            return indexOfDone(requestId) >= 0;
        }

        int indexOfDone(String requestId) {
            for (int i = 0; i < received.size(); i++) {
                if (received.get(i).path("type").asText().equals("done")
                        && received.get(i).path("request_id").asText().equals(requestId)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private JsonNode node(String script, String model) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("BASE_URL", url.toString());
        builder.environment().put("API_KEY", key);
        builder.environment().put("MODEL", model);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(printed).isZero();
        return json.readTree(printed);
    }

    private void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
    }

    private HttpResponse<String> embed(String body) throws Exception {
        return post("/v1/embeddings", key, body);
    }

    private HttpResponse<String> post(String path, @Nullable String credential, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBrowserOffersTheKeyAsASubprotocolAndTheServerSelectsArchipelagoV1() throws Exception {
        Frames frames = new Frames();
        WebSocket socket = http.newWebSocketBuilder().header("Origin", APP_ORIGIN)
                .subprotocols("archipelago.v1", "bearer." + key)
                .buildAsync(socketUri(""), frames).get(10, TimeUnit.SECONDS);
        assertThat(socket.getSubprotocol()).isEqualTo("archipelago.v1");
        socket.sendText("{\"type\":\"chat.completions\",\"request_id\":\"browser\",\"request\":{\"model\":\""
                + CHAT + "\",\"messages\":[{\"role\":\"user\",\"content\":\"from a browser\"}]}}", true)
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.done("browser"));

        List<JsonNode> chat = frames.of("browser");
        StringBuilder content = new StringBuilder();
        for (JsonNode chunk : chat.subList(0, chat.size() - 1)) {
            assertThat(chunk.path("type").asText()).isEqualTo("chat.completion.chunk");
            content.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertThat(content.toString()).startsWith("[demo] Island demo-").endsWith("heard 3 words: browser a from.");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWrongKeyInTheSubprotocolIsRefused401AndAKeyInTheQueryStringIsNotRead() {
        assertRefused(http.newWebSocketBuilder().header("Origin", APP_ORIGIN)
                .subprotocols("archipelago.v1", "bearer.ak-not-a-key-of-anyone"), "", 401);
        assertRefused(http.newWebSocketBuilder().subprotocols("archipelago.v1"), "?api_key=" + key, 401);
        assertRefused(http.newWebSocketBuilder().subprotocols("archipelago.v1"), "?bearer=" + key, 401);
    }

    @Test
    void anOriginNotAllowedIsRefused403WhereverTheKeyIs() {
        assertRefused(http.newWebSocketBuilder().header("Origin", "https://elsewhere.example")
                .subprotocols("archipelago.v1", "bearer." + key), "", 403);
        assertRefused(http.newWebSocketBuilder().header("Origin", "https://elsewhere.example")
                .header("Authorization", "Bearer " + key), "", 403);
    }

    private void assertRefused(WebSocket.Builder builder, String query, int status) {
        assertThatThrownBy(() -> builder.buildAsync(socketUri(query), new Frames()).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(failure -> assertThat(((WebSocketHandshakeException) failure.getCause()).getResponse()
                        .statusCode()).isEqualTo(status));
    }

    private URI socketUri(String query) {
        return URI.create("ws://" + url.getAuthority() + "/v1/ws" + query);
    }
}

package io.archipelago.coordinator.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.access.TestCredentials;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import io.archipelago.projections.market.MarketViews;
import java.time.Clock;
import org.axonframework.config.EventProcessingConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * The exact tier of the inference cache through the official {@code openai} npm client (coordinator/src/test/node,
 * {@code cache.mjs}) against a whole coordinator with its demo Islands: a deterministic request asked twice is
 * answered the second time from the cache, whole and streamed, in the same shape, free and without a job; the hit is
 * an event on the account, counted by {@code GET /cache/stats}; a sampled request, a bypass and another account
 * never hit; an expired answer misses and is swept; {@code DELETE /cache} forgets an account's answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceCacheTest {

    private static final String MODEL = WholeCoordinator.DEMO_MODEL;
    private static final String CONSUMER = "demo-consumer";
    private static final String OTHER = "cache-other";
    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final Duration SETTLED = Duration.ofSeconds(20);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");
    private JdbcClient jdbc;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of());
        url = WholeCoordinator.url(coordinator);
        jdbc = coordinator.getBean(JdbcClient.class);
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void aRepeatedRequestIsAnsweredFromTheCacheFreeAndOnlyForItsOwnAccount() throws Exception {
        assertThat(NODE_DIR.resolve("node_modules/openai")).as("run: npm ci --prefix coordinator/src/test/node")
                .isDirectory();
        String key = issueKey(CONSUMER);
        String otherKey = funded(OTHER);
        long before = await().atMost(SETTLED).until(() -> available(CONSUMER), balance -> balance != null);

        JsonNode results = node("cache.mjs", Map.of("API_KEY", key, "OTHER_KEY", otherKey));

        JsonNode first = results.path("first");
        JsonNode second = results.path("second");
        assertThat(first.path("cache").asText()).isEqualTo("miss");
        assertThat(first.path("field").asText()).isEqualTo("miss");
        assertThat(results.path("keptAfterFirst").asInt()).isEqualTo(1);
        assertThat(second.path("cache").asText()).isEqualTo("exact");
        assertThat(second.path("field").asText()).isEqualTo("exact");
        assertThat(second.path("job").isNull()).as("no job ran").isTrue();
        assertThat(second.path("source").asText()).isEqualTo(first.path("job").asText());
        assertThat(second.path("content").asText()).isEqualTo(first.path("content").asText())
                .startsWith("[demo] Island demo-");
        assertThat(second.path("usage").path("completion_tokens").asInt())
                .isEqualTo(first.path("usage").path("completion_tokens").asInt());
        assertThat(second.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt())
                .isEqualTo(second.path("usage").path("prompt_tokens").asInt()).isPositive();
        assertThat(first.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
        assertThat(results.path("rewritten").path("cache").asText()).isEqualTo("exact");

        for (String bypass : new String[] {"bypassHeader", "noCache", "bypassField"}) {
            assertThat(results.path(bypass).path("cache").asText()).as(bypass).isEqualTo("bypass");
            assertThat(results.path(bypass).path("job").asText()).as(bypass).startsWith("chatcmpl-");
        }
        assertThat(results.path("otherAccount").path("cache").asText()).isEqualTo("miss");
        assertThat(results.path("otherAccount").path("job").asText()).startsWith("chatcmpl-");

        JsonNode streamedFirst = results.path("streamedFirst");
        JsonNode streamedSecond = results.path("streamedSecond");
        assertThat(streamedFirst.path("cache").asText()).isEqualTo("miss");
        assertThat(streamedSecond.path("cache").asText()).isEqualTo("exact");
        assertThat(streamedSecond.path("job").isNull()).isTrue();
        // the role chunk, every token, the finish chunk and the usage chunk, as live
        assertThat(streamedSecond.path("chunks").asInt()).isEqualTo(streamedFirst.path("chunks").asInt())
                .isGreaterThan(3);
        assertThat(streamedSecond.path("content").asText()).isEqualTo(streamedFirst.path("content").asText());
        assertThat(streamedSecond.path("finish").asText()).isEqualTo("stop");
        assertThat(streamedSecond.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt())
                .isPositive();
        assertThat(streamedSecond.path("fields").toString()).doesNotContain("miss").contains("exact");

        assertThat(results.path("sampledFirst").path("cache").asText()).isEqualTo("bypass");
        assertThat(results.path("sampledSecond").path("cache").asText()).isEqualTo("bypass");
        assertThat(results.path("sampledSecond").path("job").asText())
                .isNotEqualTo(results.path("sampledFirst").path("job").asText());
        assertThat(results.path("entriesAtEnd").asInt()).as("sampled answers are not kept").isEqualTo(2);

        // seven jobs ran for the consumer (two misses, three bypasses, two sampled), none for the three hits, and its
        // balance went down by what those seven were charged, nothing more
        await().atMost(SETTLED).untilAsserted(() -> {
            assertThat(jdbc.sql("SELECT count(*) FROM job_view WHERE consumer = :account AND status = 'COMPLETED'")
                    .param("account", CONSUMER).query(Long.class).single()).isEqualTo(7);
            long charged = jdbc.sql("SELECT coalesce(sum(charged_micro_credits), 0) FROM job_view "
                    + "WHERE consumer = :account").param("account", CONSUMER).query(Long.class).single();
            assertThat(charged).isPositive();
            assertThat(available(CONSUMER)).isEqualTo(before - charged);
        });

        long firstCost = charged(first.path("job").asText());
        long streamedCost = charged(streamedFirst.path("job").asText());
        await().atMost(SETTLED).untilAsserted(() -> {
            JsonNode stats = json.readTree(send("GET", "/cache/stats", key, null).body());
            assertThat(stats.path("account").asText()).isEqualTo(CONSUMER);
            assertThat(stats.path("hits").path("exact").asLong()).isEqualTo(3);
            assertThat(stats.path("hits").path("semantic").asLong()).isZero();
            assertThat(stats.path("misses").asLong()).isEqualTo(2);
            assertThat(stats.path("bypasses").asLong()).isEqualTo(5);
            assertThat(stats.path("hit_rate").path("exact").asDouble()).isEqualTo(0.6);
            assertThat(stats.path("saved_micro_credits").asLong()).isEqualTo(2 * firstCost + streamedCost);
        });
        assertThat(jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :account "
                        + "AND payload_type = 'io.archipelago.exchange.account.api.CacheHitRecorded'")
                .param("account", "account:" + CONSUMER).query(Long.class).single()).isEqualTo(3);

        JsonNode overall = json.readTree(send("GET", "/cache/stats", TestCredentials.OPERATOR_TOKEN, null).body());
        assertThat(overall.path("hits").path("exact").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(overall.path("misses").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(overall.path("accounts").toString()).contains(CONSUMER, OTHER);
        assertThat(send("GET", "/cache/stats?account=" + OTHER, key, null).statusCode()).isEqualTo(404);
    }

    @Test
    void anExpiredAnswerMissesAndIsSweptAndDeletionForgetsTheAccountsAnswers() throws Exception {
        String account = "cache-ttl";
        String key = funded(account);
        String body = "{\"model\":\"" + MODEL + "\",\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"expire me\"}]}";
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key, body))).isEqualTo("miss");
        await().atMost(SETTLED).until(() -> entries(account, "expire") == 1);
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key, body))).isEqualTo("exact");

        jdbc.sql("UPDATE inference_cache SET created_at = created_at - interval '2 days' WHERE account_id = :account")
                .param("account", account).update();
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key, body))).as("past the TTL").isEqualTo("miss");
        coordinator.getBean(CacheSweep.class).sweep();
        await().atMost(SETTLED).until(() -> entries(account, "expire") == 1);
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key, body))).isEqualTo("exact");

        HttpResponse<String> deleted = send("DELETE", "/cache", key, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json.readTree(deleted.body()).path("deleted").asInt()).isPositive();
        assertThat(entries(account, "expire")).isZero();
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key, body))).isEqualTo("miss");

        assertThat(send("DELETE", "/cache", TestCredentials.OPERATOR_TOKEN, null).statusCode()).isEqualTo(400);
        assertThat(send("DELETE", "/cache?account=" + account, TestCredentials.OPERATOR_TOKEN, null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> badChoice = send("POST", "/v1/chat/completions", key,
                body.replace("\"temperature\":0", "\"temperature\":0,\"cache\":\"always\""));
        assertThat(badChoice.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badChoice.body()).path("error").path("code").asText())
                .isEqualTo("invalid_cache_choice");
    }

    @Test
    void aVersionPublishedDeprecatedOrYankedForgetsTheAnswersKeptBeforeIt() throws Exception {
        assertThat(coordinator.getBean(EventProcessingConfiguration.class)
                .eventProcessor(CacheInvalidation.PROCESSING_GROUP)).as("the events reach the invalidation")
                .isPresent();
        String account = "cache-version";
        String key = funded(account);
        String body = "{\"model\":\"" + MODEL + "\",\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"version me\"}]}";
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key, body))).isEqualTo("miss");
        await().atMost(SETTLED).until(() -> entries(account, "version") == 1);
        CacheInvalidation invalidation = coordinator.getBean(CacheInvalidation.class);
        Clock clock = coordinator.getBean(Clock.class);

        invalidation.on(new CargoVersionYanked(new CargoType(MODEL), "1.0.0", new AccountId("publisher-1"),
                new AccountId("publisher-1"), "leaks prompts", clock.instant().minusSeconds(3_600)));
        assertThat(entries(account, "version")).as("kept after the change").isEqualTo(1);
        invalidation.on(new CargoVersionYanked(new CargoType(MODEL), "1.0.0", new AccountId("publisher-1"),
                new AccountId("publisher-1"), "leaks prompts", clock.instant()));
        assertThat(entries(account, "version")).as("kept before the change").isZero();
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key, body))).isEqualTo("miss");
    }

    @Test
    void aNearDuplicateIsAnsweredBySemanticOptInAndANearMissIsNot() throws Exception {
        String account = "cache-semantic";
        String key = funded(account);
        String asked = chat("What is the capital of France?");
        HttpResponse<String> first = send("POST", "/v1/chat/completions", key, asked);
        assertThat(cacheOf(first)).isEqualTo("miss");
        await().atMost(SETTLED).until(() -> entries(account, "France") == 1);
        awaitIndexed(account);

        HttpResponse<String> near = send("POST", "/v1/chat/completions", key, chat("what is the capital of France"));
        assertThat(cacheOf(near)).isEqualTo("semantic");
        assertThat(json.readTree(near.body()).path("archipelago_cache").asText()).isEqualTo("semantic");
        assertThat(json.readTree(near.body()).path("choices").path(0).path("message").path("content").asText())
                .isEqualTo(json.readTree(first.body()).path("choices").path(0).path("message").path("content")
                        .asText());
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key, chat("What is the capital of Germany?"))))
                .as("another entity is a near miss").isEqualTo("miss");
        assertThat(cacheOf(send("POST", "/v1/chat/completions", key,
                chat("what is the capital of France").replace(",\"cache\":\"semantic\"", ""))))
                .as("without the opt-in only the exact tier answers").isEqualTo("miss");
        await().atMost(SETTLED).untilAsserted(() -> assertThat(json.readTree(
                send("GET", "/cache/stats", key, null).body()).path("hits").path("semantic").asLong()).isEqualTo(1));
    }

    @Test
    void theOfficialClientGetsANearDuplicatesAnswerWholeAndStreamedWhenItOptsIn() throws Exception {
        String account = "cache-semantic-client";
        String key = funded(account);
        JsonNode first = node("cache-semantic.mjs", Map.of("API_KEY", key, "PHASE", "first")).path("first");
        assertThat(first.path("cache").asText()).isEqualTo("miss");
        await().atMost(SETTLED).until(() -> entries(account, "password") == 1);
        awaitIndexed(account);

        JsonNode results = node("cache-semantic.mjs", Map.of("API_KEY", key, "PHASE", "near"));

        JsonNode near = results.path("near");
        assertThat(near.path("cache").asText()).isEqualTo("semantic");
        assertThat(near.path("field").asText()).isEqualTo("semantic");
        assertThat(near.path("job").isNull()).as("no job ran").isTrue();
        assertThat(near.path("source").asText()).isEqualTo(first.path("job").asText());
        assertThat(near.path("content").asText()).isEqualTo(first.path("content").asText()).contains("password");
        assertThat(near.path("cached").asInt()).isPositive();
        JsonNode streamed = results.path("nearStreamed");
        assertThat(streamed.path("cache").asText()).isEqualTo("semantic");
        assertThat(streamed.path("content").asText()).isEqualTo(first.path("content").asText());
        assertThat(streamed.path("fields").toString()).contains("semantic").doesNotContain("miss");
        assertThat(streamed.path("cached").asInt()).isPositive();
        assertThat(results.path("nearMiss").path("cache").asText()).as("another word is a near miss")
                .isEqualTo("miss");
        assertThat(results.path("nearMiss").path("job").asText()).startsWith("chatcmpl-");
        await().atMost(SETTLED).untilAsserted(() -> assertThat(json.readTree(
                send("GET", "/cache/stats", key, null).body()).path("hits").path("semantic").asLong()).isEqualTo(2));
    }

    /** Waits until the vector of the account's answer reached this node's index (its row commits a moment before). */
    private void awaitIndexed(String account) throws Exception {
        String version = coordinator.getBean(MarketViews.class).find(MODEL).orElseThrow().openedAt().toString();
        String scope = RequestKey.of(MODEL, version, json.readTree(chat("x"))).scope();
        SemanticIndex index = coordinator.getBean(SemanticIndex.class);
        await().atMost(SETTLED).until(() -> !index.nearest(account, scope, index.embed("user: x\n"), 1).isEmpty());
    }

    private static String chat(String content) {
        return "{\"model\":\"" + MODEL + "\",\"temperature\":0,\"cache\":\"semantic\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    /** The entries of {@code account} whose answer mentions {@code word} (the demo Islands repeat the prompt). */
    private long entries(String account, String word) {
        return jdbc.sql("SELECT count(*) FROM inference_cache WHERE account_id = :account AND chunks LIKE :word")
                .param("account", account).param("word", "%" + word + "%").query(Long.class).single();
    }

    /** Opens {@code account} in Germany with 100 credits and returns a key of it. */
    private String funded(String account) throws Exception {
        assertThat(send("POST", "/accounts", TestCredentials.OPERATOR_TOKEN,
                "{\"accountId\":\"" + account + "\",\"country\":\"DE\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/accounts/" + account + "/deposits", TestCredentials.OPERATOR_TOKEN,
                "{\"depositId\":\"d-1\",\"amountMicroCredits\":100000000}").statusCode()).isEqualTo(201);
        return issueKey(account);
    }

    /** Runs {@code script} of the official client's tests with {@code env} and reads the JSON it prints. */
    private JsonNode node(String script, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("BASE_URL", url.toString());
        builder.environment().put("MODEL", MODEL);
        builder.environment().putAll(env);
        Process node = builder.start();
        byte[] output = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = new String(output, StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(printed).isZero();
        return json.readTree(printed);
    }

    private @Nullable Long available(String account) {
        return jdbc.sql("SELECT available_micro_credits FROM account_balance_view WHERE account_id = :account")
                .param("account", account).query(Long.class).optional().orElse(null);
    }

    private long charged(String job) {
        return await().atMost(SETTLED).until(() -> jdbc.sql(
                        "SELECT charged_micro_credits FROM job_view WHERE job_id = :job")
                .param("job", job).query(Long.class).optional().orElse(null), cost -> cost != null);
    }

    private static String cacheOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("X-Archipelago-Cache").orElse("");
    }

    private String issueKey(String account) throws Exception {
        HttpResponse<String> issued = send("POST", "/accounts/" + account + "/keys", TestCredentials.OPERATOR_TOKEN,
                "");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return json.readTree(issued.body()).path("key").asText();
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

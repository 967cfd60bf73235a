package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.access.TestCredentials;
import io.archipelago.projections.island.IslandViews;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An Island that accepts a job and then vanishes before its first token, behind the consumer's door: the job is
 * placed again on the next Island that serves its jurisdiction (Poland, which no demo Island serves) while its bid
 * lives, and the client gets the answer, streamed or whole; with no other Island the client gets a named error once
 * the bid expires. Each request ends within the stated bound.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IslandLossTest {

    private static final String MODEL = "llm.chat.demo";
    private static final Duration BID_TTL = Duration.ofSeconds(20);
    private static final String BODY = "{\"model\":\"" + MODEL + "\",\"jurisdiction\":\"PL\",%s"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"are you there\"}]}";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger islands = new AtomicInteger();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");
    private String key = "";

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of("archipelago.openai.bid-ttl", "20s"));
        url = WholeCoordinator.url(coordinator);
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(url.resolve("/accounts/demo-consumer/keys"))
                .header("Authorization", TestCredentials.OPERATOR).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        key = json.readTree(issued.body()).path("key").asText();
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void aStreamedJobWhoseIslandVanishesBeforeItsFirstTokenIsAnsweredByTheNextIsland() throws Exception {
        ScriptedIsland vanishing = island(ScriptedIsland.Script.VANISH_AFTER_ACCEPTING);
        CompletableFuture<HttpResponse<String>> answer = chat("\"stream\":true,");
        await().atMost(Duration.ofSeconds(15)).until(() -> !vanishing.jobs.isEmpty());

        try (ScriptedIsland answering = island(ScriptedIsland.Script.ANSWER)) {
            HttpResponse<String> streamed = answer.get(BID_TTL.toSeconds() + 30, TimeUnit.SECONDS);

            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(streamed.body()).contains("answered").contains(" scripted").endsWith("data: [DONE]\n\n");
            assertThat(answering.jobs).containsExactly(vanishing.jobs.get(0));
            assertThat(status(vanishing.jobs.get(0))).isEqualTo("COMPLETED");
        } finally {
            vanishing.close();
        }
    }

    @Test
    void aWholeJobWhoseIslandVanishesBeforeItsFirstTokenIsAnsweredByTheNextIsland() throws Exception {
        ScriptedIsland vanishing = island(ScriptedIsland.Script.VANISH_AFTER_ACCEPTING);
        CompletableFuture<HttpResponse<String>> answer = chat("");
        await().atMost(Duration.ofSeconds(15)).until(() -> !vanishing.jobs.isEmpty());

        try (ScriptedIsland answering = island(ScriptedIsland.Script.ANSWER)) {
            HttpResponse<String> whole = answer.get(BID_TTL.toSeconds() + 30, TimeUnit.SECONDS);

            assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
            assertThat(json.readTree(whole.body()).path("choices").get(0).path("message").path("content").asText())
                    .isEqualTo(String.join("", ScriptedIsland.ANSWER_CHUNKS));
            assertThat(answering.jobs).containsExactly(vanishing.jobs.get(0));
        } finally {
            vanishing.close();
        }
    }

    @Test
    void aJobNoOtherIslandCanTakeEndsWithANamedErrorWhenItsBidExpires() throws Exception {
        ScriptedIsland vanishing = island(ScriptedIsland.Script.VANISH_AFTER_ACCEPTING);
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> streamed = chat("\"stream\":true,");
        await().atMost(Duration.ofSeconds(15)).until(() -> !vanishing.jobs.isEmpty());

        HttpResponse<String> answer = streamed.get(BID_TTL.toSeconds() + 30, TimeUnit.SECONDS);

        // headers and the role chunk came at once; the stream ends with OpenAI's error event naming the cause
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"role\":\"assistant\"").contains("\"code\":\"no_eligible_island\"")
                .doesNotContain("[DONE]");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BID_TTL.plusSeconds(15));
        assertThat(status(vanishing.jobs.get(0))).isEqualTo("EXPIRED");
        vanishing.close();
    }

    /** A new Island in Poland, once the read side shows it online with a measured round trip. */
    private ScriptedIsland island(ScriptedIsland.Script script) throws Exception {
        IslandViews views = coordinator.getBean(IslandViews.class);
        ScriptedIsland island = new ScriptedIsland(url, TestCredentials.OPERATOR_TOKEN,
                "scripted-" + islands.incrementAndGet(), "PL", MODEL, 500, script);
        await().atMost(Duration.ofSeconds(15)).until(() -> views.find(island.islandId)
                .filter(view -> view.online() && view.rttMicros() != null).isPresent());
        return island;
    }

    private CompletableFuture<HttpResponse<String>> chat(String options) {
        return http.sendAsync(HttpRequest.newBuilder(url.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(options))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String status(String jobId) {
        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("SELECT status FROM job_view WHERE job_id = :job")
                .param("job", jobId).query(String.class).optional()
                .filter(status -> !status.equals("PLACED") && !status.equals("RESTING")).isPresent());
        return jdbc.sql("SELECT status FROM job_view WHERE job_id = :job").param("job", jobId).query(String.class)
                .single();
    }
}

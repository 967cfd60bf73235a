package io.archipelago.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.access.TestCredentials;
import io.archipelago.coordinator.WholeCoordinator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The browser app ({@code web} module) served by a whole coordinator with its demo Islands, driven in headless
 * Chromium by {@code web/e2e/app.mjs} (playwright-core, installed by the web module's {@code npm ci}): a wrong key
 * shows the API's words, a signed-in consumer streams a chat and sees the Island that served it, the dashboard draws
 * the market that just traded, an image's progress bar reaches 100% and the images are drawn at the size asked with
 * the job's cost, the playground answers, a host reprices its ask and the best ask on the page follows, the host
 * changes its Island's schedule and the page shows the one the read side holds, the auditor's replay comes back
 * clean. Screenshots of each page land in {@code target/web-screenshots}. Also: the
 * app's static files are public and nothing else became so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAppTest {

    private static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");
    private static final Path WEB_DIR = Path.of("../web");
    private static final Path SCREENSHOTS = Path.of("target/web-screenshots");
    private static final String HOST = "host-demo-frankfurt";
    private static final long NEW_PRICE = 650;
    private static final int IMAGE_SIDE = 128;
    private static final int IMAGE_COUNT = 2;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");

    @BeforeAll
    void start(@TempDir Path dataDir) {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of("archipelago.openai.resting-wait", "1s",
                "archipelago.query.feed-interval", "200ms",
                // a checkpoint soon, so that the auditor has a signature to verify
                "archipelago.event-chain.checkpoint-every-links", "5",
                "archipelago.event-chain.checkpoint-interval", "1s"));
        url = WholeCoordinator.url(coordinator);
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void theAppsFilesArePublicAndTheApiIsNot() throws Exception {
        HttpResponse<String> page = get("/app/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<div id=\"app\">").contains("/app/assets/");
        String script = page.body().replaceAll("(?s).*src=\"(/app/assets/[^\"]+\\.js)\".*", "$1");
        assertThat(get(script, null).statusCode()).isEqualTo(200);
        assertThat(get("/app", null).statusCode()).isEqualTo(302);

        assertThat(get("/markets", null).statusCode()).isEqualTo(401);
        assertThat(get("/markets/feed", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/models", null).statusCode()).isEqualTo(401);
        assertThat(get("/app/../markets", null).statusCode()).isNotEqualTo(200);
        assertThat(get("/ledger/audits/last", issueKey("demo-consumer")).statusCode()).isEqualTo(403);
    }

    @Test
    void aPersonUsesEveryPageInABrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "Chromium is not installed at " + CHROMIUM + " (apt-get install -y chromium; .ci/run does)");
        assertThat(WEB_DIR.resolve("node_modules/playwright-core")).as("the web module's npm ci installs it")
                .isDirectory();
        String consumerKey = issueKey("demo-consumer");
        String hostKey = issueKey(HOST);
        JsonNode own = json.readTree(get("/accounts/" + HOST + "/islands", hostKey).body());
        String island = own.path(0).path("island").path("islandId").asText();
        assertThat(island).isNotEmpty();

        ProcessBuilder builder = new ProcessBuilder("node", "e2e/app.mjs").directory(WEB_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("BASE_URL", url.toString());
        builder.environment().put("CHROMIUM", CHROMIUM.toString());
        builder.environment().put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
        builder.environment().put("CONSUMER_KEY", consumerKey);
        builder.environment().put("HOST_KEY", hostKey);
        builder.environment().put("HOST_ACCOUNT", HOST);
        builder.environment().put("HOST_ISLAND", island);
        builder.environment().put("NEW_PRICE", Long.toString(NEW_PRICE));
        builder.environment().put("IMAGE_SIZE", IMAGE_SIDE + "x" + IMAGE_SIDE);
        builder.environment().put("IMAGE_COUNT", Integer.toString(IMAGE_COUNT));
        builder.environment().put("OPERATOR_TOKEN", TestCredentials.OPERATOR_TOKEN);
        Process node = builder.start();
        byte[] output = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String printed = new String(output, StandardCharsets.UTF_8);
        System.out.println("web app run: " + printed);
        JsonNode result = json.readTree(printed);
        assertThat(result.path("failure").isMissingNode()).as(printed).isTrue();
        assertThat(node.exitValue()).isZero();

        // the error as the API words it, and the key never in the address
        String apiWords = json.readTree(get("/v1/models", "ak-not-a-key-of-this-exchange").body())
                .path("error").path("message").asText();
        assertThat(result.path("wrongKey").asText()).contains(apiWords);
        assertThat(result.path("keyInUrl").asBoolean()).isFalse();
        assertThat(result.path("keyInSessionStorage").asBoolean()).isTrue();
        assertThat(result.path("keyInLocalStorage").asBoolean()).isFalse();

        // the answer streamed, and its Island, country, RTT, units and cost from the job's record
        JsonNode chat = result.path("chat");
        assertThat(chat.path("answer").asText()).startsWith("[demo] Island demo-");
        assertThat(chat.path("island").asText()).startsWith("demo-");
        assertThat(chat.path("answer").asText()).contains(chat.path("island").asText());
        assertThat(chat.path("country").asText()).isIn("DE", "CH", "NL");
        assertThat(chat.path("meta").asText()).contains("RTT").contains("units").contains("cost").contains("COMPLETED");

        // the bar followed the Island's steps to its end, the images are drawn at the size asked, the cost is the job's
        JsonNode images = result.path("images");
        assertThat(images.path("errors").asInt()).as(images.toString()).isZero();
        assertThat(images.path("max").asDouble()).isPositive();
        assertThat(images.path("value").asDouble()).isEqualTo(images.path("max").asDouble());
        assertThat(images.path("label").asText()).startsWith("painting 100%");
        assertThat(images.path("barName").asText()).isEqualTo("painting 100%");
        assertThat(images.path("seen").size()).as("the bar moved before it was full").isGreaterThan(1);
        assertThat(images.path("seen").path(0).asText()).isNotEqualTo(images.path("seen")
                .path(images.path("seen").size() - 1).asText());
        assertThat(images.path("partialsSeen").asInt()).as("partial images shown before the images").isPositive();
        assertThat(images.path("naturalWidths").toString()).isEqualTo("[" + IMAGE_SIDE + "," + IMAGE_SIDE + "]");
        assertThat(images.path("naturalHeights").toString()).isEqualTo("[" + IMAGE_SIDE + "," + IMAGE_SIDE + "]");
        String imageMeta = images.path("meta").asText();
        assertThat(imageMeta).contains("Island demo-images").contains("country DE").contains("COMPLETED")
                .contains("units " + IMAGE_COUNT);
        String imageJob = imageMeta.replaceAll(".*job (\\S+) \\(.*", "$1");
        JsonNode job = json.readTree(get("/jobs/" + imageJob, consumerKey).body());
        assertThat(job.path("chargedMicroCredits").asLong()).isPositive();
        assertThat(imageMeta).contains(String.format("cost %.6f cr", job.path("chargedMicroCredits").asLong() / 1e6));
        // a size no Island here paints: the API's words, no image, and the job's record says it did not complete
        assertThat(images.path("refused").asText()).endsWith("(no_eligible_island)");
        assertThat(images.path("imagesAfterRefusal").asInt()).isZero();
        assertThat(images.path("outsideJurisdiction").asText()).endsWith("(no_eligible_island)");
        assertThat(images.path("refusedMeta").asText()).doesNotContain("COMPLETED").doesNotContain(imageJob);

        JsonNode dashboard = result.path("dashboard");
        assertThat(dashboard.path("candles").asInt()).isPositive();
        assertThat(dashboard.path("canvases").asInt()).isPositive();
        assertThat(dashboard.path("leaderboardRows").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(dashboard.path("cacheBypasses").asInt()).as("the cache's statistics drawn").isPositive();
        assertThat(dashboard.path("cacheHitRate").asText()).matches("-|\\d+\\.\\d%");

        assertThat(result.path("playground").path("status").asText()).startsWith("200");
        assertThat(result.path("playground").path("response").asText()).contains("chat.completion");
        assertThat(result.path("playground").path("code").asText()).contains("curl -X POST")
                .contains("from openai import OpenAI").contains("import OpenAI from \"openai\"");
        assertThat(result.path("phoneOverflow").asInt()).isLessThanOrEqualTo(0);
        assertThat(result.path("imagesPhoneOverflow").asInt()).isLessThanOrEqualTo(0);

        String newPrice = String.format("%.6f cr", NEW_PRICE / 1e6);
        assertThat(result.path("reprice").path("before").asText()).isNotEqualTo(newPrice);
        assertThat(result.path("reprice").path("after").asText()).isEqualTo(newPrice);
        assertThat(result.path("reprice").path("dashboard").asText()).isEqualTo(newPrice);

        // the schedule the host saved is the one the read side holds, and the page shows it
        assertThat(result.path("schedule").path("before").asText()).isEqualTo("always available");
        assertThat(result.path("schedule").path("after").asText())
                .isEqualTo("Tue 09:00-17:30, Fri 22:00 - Sat 02:00 UTC");
        JsonNode saved = json.readTree(get("/islands/" + island, hostKey).body()).path("schedule");
        assertThat(saved.path("always").asBoolean()).isFalse();
        assertThat(saved.path("windows").toString()).isEqualTo(
                "[{\"startMinute\":1980,\"endMinute\":2490},{\"startMinute\":7080,\"endMinute\":7320}]");

        assertThat(result.path("audit").path("result").asText()).as(result.path("audit").toString()).isEqualTo("OK");
        assertThat(result.path("audit").path("conserved").asText()).isEqualTo("yes");
        assertThat(result.path("audit").path("head").asText()).containsPattern("head [0-9a-f]{64}");

        for (String shot : new String[] {"signin-wrong-key", "chat", "images", "chat-phone", "images-phone",
                "markets", "playground", "host", "auditor"}) {
            assertThat(SCREENSHOTS.resolve(shot + ".png")).isNotEmptyFile();
        }
        JsonNode load = result.path("firstLoad");
        // the first page, compressed as served, within the goal of 300 KB
        assertThat(load.path("transferredBytes").asLong()).isPositive().isLessThanOrEqualTo(300 * 1024);
        System.out.printf("web app first load: %d ms to the sign-in form (load event at %.0f ms), %d bytes"
                        + " transferred in %d requests; anchor: GET /app/index.html round trip %d ms%n",
                load.path("millis").asLong(), load.path("load").asDouble(), load.path("transferredBytes").asLong(),
                load.path("requests").asInt(), load.path("anchorRoundTripMillis").asLong());
    }

    private String issueKey(String account) throws Exception {
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(url.resolve("/accounts/" + account + "/keys"))
                .header("Authorization", "Bearer " + TestCredentials.OPERATOR_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).isEqualTo(201);
        return json.readTree(issued.body()).path("key").asText();
    }

    private HttpResponse<String> get(String path, @Nullable String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

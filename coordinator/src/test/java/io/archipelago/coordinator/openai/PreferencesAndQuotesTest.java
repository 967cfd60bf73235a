package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.agent.ContainerTools;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.job.JobStatus;
import io.archipelago.projections.job.JobView;
import io.archipelago.projections.job.JobViews;
import io.archipelago.projections.market.MarketViews;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bid preferences and quotes on a whole coordinator with its three demo Islands on {@code llm.chat.demo} (Frankfurt DE,
 * Zurich CH, Amsterdam NL): preferences set over HTTP steer a chat completion to the Island they allow, a request may
 * not widen them (not even the very next one, before the read side has them), quotes count the Islands each constraint
 * excluded, and a quote's price is the price the job then
 * settles at. With the demo's container Island too: a consumer's bid on the demo container Cargo, a signed busybox
 * image its publisher published to the demo's local registry, runs in a runc container under seccomp on that
 * Island, and settles at ask + royalty + fee, the royalty to the version's publisher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreferencesAndQuotesTest {

    private static final String MODEL = "llm.chat.demo";
    private static final String CONTAINER = "container.demo";
    private static final String OPERATOR = "test-operator";
    private static final String CHAT = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hello islands\"}]";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");

    @BeforeAll
    void start(@TempDir Path dataDir) {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of("archipelago.openai.resting-wait", "1s",
                "archipelago.demo.container-cargo", true));
        url = WholeCoordinator.url(coordinator);
    }

    @Test
    void aBidOnTheDemoContainerCargoRunsInTheContainerAndPaysThePublisherItsRoyalty() throws Exception {
        String missing = ContainerTools.missing();
        assumeTrue(missing.isEmpty(), missing);
        MarketViews markets = coordinator.getBean(MarketViews.class);
        await().atMost(Duration.ofSeconds(90)).until(() -> markets.find(CONTAINER)
                .map(market -> market.onlineAsks() == 1).orElse(false));
        JsonNode versions = json.readTree(send("GET", "/registry/cargos?type=" + CONTAINER, OPERATOR, null).body());
        assertThat(versions).hasSize(1);
        JsonNode published = versions.get(0);
        assertThat(published.path("publisher").asText()).isEqualTo("demo-publisher");
        assertThat(published.path("runtime").asText()).isEqualTo("container");
        assertThat(published.path("unit").asText()).isEqualTo("SECOND");
        assertThat(published.path("image").asText()).matches("127\\.0\\.0\\.1:\\d+/demo/shout@sha256:[0-9a-f]{64}");
        assertThat(published.path("signature").path("verifiedAtPublication").asBoolean()).isTrue();
        long royalty = published.path("royaltyMicroCredits").asLong();
        assertThat(royalty).isPositive();

        String key = consumer("container-consumer");
        String job = "container-job-1";
        assertThat(send("PUT", "/jobs/" + job + "/input", key, "{\"prompt\":\"hello islands\"}").statusCode())
                .isEqualTo(204);
        CompletableFuture<HttpResponse<Stream<String>>> output = http.sendAsync(HttpRequest
                .newBuilder(url.resolve("/jobs/" + job + "/output")).header("Authorization", "Bearer " + key).GET()
                .build(), HttpResponse.BodyHandlers.ofLines());
        HttpResponse<String> bid = send("POST", "/markets/" + CONTAINER + "/bids", key, "{\"jobId\":\"" + job
                + "\",\"consumer\":\"container-consumer\",\"limitMicroCredits\":5000,\"maxUnits\":10}");
        assertThat(bid.statusCode()).as(bid.body()).isEqualTo(201);
        assertThat(json.readTree(bid.body()).path("islandId").asText()).as(bid.body()).isEqualTo("demo-container");

        // the chunks, up to the event that ends the job: completed (or failed, which the content then shows)
        List<String> chunks;
        try (Stream<String> lines = output.get(60, TimeUnit.SECONDS).body()) {
            chunks = lines.takeWhile(line -> !line.matches("event: ?(completed|failed)"))
                    .filter(line -> line.startsWith("data:")).toList();
        }
        String said = String.join("\n", chunks);
        assertThat(said).contains("HELLO ISLANDS").contains("upper-cased in a runc container")
                .contains("Seccomp: 2");

        JobViews jobs = coordinator.getBean(JobViews.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.find(job)
                .map(view -> view.status() == JobStatus.COMPLETED).orElse(false));
        JobView done = jobs.find(job).orElseThrow();
        assertThat(done.islandId()).isEqualTo("demo-container");
        assertThat(done.royaltyMicroCredits()).isEqualTo(royalty);
        assertThat(done.units()).isPositive();
        assertThat(done.chargedMicroCredits()).isEqualTo(done.units()
                * (done.askMicroCredits() + done.royaltyMicroCredits() + done.feeMicroCredits()));
        String version = published.path("version").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> json.readTree(send("GET", "/registry/cargos?type="
                + CONTAINER, OPERATOR, null).body()).get(0).path("executions").asLong() == 1);
        JsonNode ran = json.readTree(send("GET", "/registry/cargos?type=" + CONTAINER, OPERATOR, null).body()).get(0);
        assertThat(ran.path("version").asText()).isEqualTo(version);
        assertThat(ran.path("successes").asLong()).isEqualTo(1);
        assertThat(ran.path("royaltiesMicroCredits").asLong()).isEqualTo(done.units() * royalty);
        JsonNode earned = json.readTree(send("GET", "/accounts/demo-publisher/balance", OPERATOR, null).body());
        assertThat(earned.path("earningsMicroCredits").asLong()).isGreaterThanOrEqualTo(done.units() * royalty);
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void preferencesSetOverHttpSteerTheJobAndItSettlesAtTheQuotedPrice() throws Exception {
        String key = consumer("swiss-consumer");
        // the account is known to the read side once its opening is projected
        await().atMost(Duration.ofSeconds(10)).until(() -> send("GET", "/accounts/swiss-consumer/preferences", key,
                null).statusCode() == 200);
        HttpResponse<String> none = send("GET", "/accounts/swiss-consumer/preferences", key, null);
        assertThat(json.readTree(none.body()).path("jurisdiction").isNull()).isTrue();

        HttpResponse<String> set = send("PUT", "/accounts/swiss-consumer/preferences", key,
                "{\"jurisdiction\":\"CH\",\"maxLatencyMs\":5000,\"limitMicroCredits\":4000}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json.readTree(set.body()).path("jurisdictionCountries").toString()).isEqualTo("[\"CH\"]");
        await().atMost(Duration.ofSeconds(10)).until(() -> json.readTree(
                send("GET", "/accounts/swiss-consumer/preferences", key, null).body())
                .path("jurisdiction").asText().equals("CH"));

        // the ceiling excludes an Island until its round trip is measured, which the bridge does within a second
        await().atMost(Duration.ofSeconds(10)).until(() -> quote(key, "{\"model\":\"" + MODEL + "\"}", Map.of())
                .path("eligible_islands").asInt() == 1);
        JsonNode quote = quote(key, "{\"model\":\"" + MODEL + "\"}", Map.of());
        assertThat(quote.path("terms").path("jurisdiction").path("name").asText()).isEqualTo("CH");
        assertThat(quote.path("terms").path("max_latency_ms").asLong()).isEqualTo(5_000);
        assertThat(quote.path("terms").path("limit_micro_credits").asLong()).isEqualTo(4_000);
        assertThat(quote.path("eligible_islands").asInt()).isEqualTo(1);
        assertThat(quote.path("island_id").asText()).isEqualTo("demo-zurich");
        assertThat(quote.path("excluded").path("jurisdiction").asInt()).isEqualTo(2);
        assertThat(quote.path("outcome").asText()).isEqualTo("placed");
        assertThat(quote.path("covered").asBoolean()).isTrue();
        long quoted = quote.path("price_per_unit_micro_credits").asLong();
        assertThat(quoted).isEqualTo(quote.path("price").path("ask_micro_credits").asLong() + 100
                + quote.path("price").path("platform_fee_micro_credits").asLong());

        HttpResponse<String> chat = send("POST", "/v1/chat/completions", key, CHAT + "}");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        String jobId = chat.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
        JobViews jobs = coordinator.getBean(JobViews.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.find(jobId)
                .map(job -> job.status() == JobStatus.COMPLETED).orElse(false));
        JobView job = jobs.find(jobId).orElseThrow();
        assertThat(job.islandId()).isEqualTo("demo-zurich");
        assertThat(job.jurisdiction()).contains("CH");
        assertThat(job.limitMicroCredits()).isEqualTo(4_000);
        assertThat(job.askMicroCredits() + job.royaltyMicroCredits() + job.feeMicroCredits()).isEqualTo(quoted);
        assertThat(job.chargedMicroCredits()).isEqualTo(job.units() * quoted);
    }

    @Test
    void aRequestMayNarrowTheAccountsTermsButNeverWidenThem() throws Exception {
        String key = consumer("eu-consumer");
        HttpResponse<String> set = send("PUT", "/accounts/eu-consumer/preferences", key,
                "{\"jurisdiction\":\"EU\",\"minKarma\":100,\"verifiedOnly\":false}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> json.readTree(
                send("GET", "/accounts/eu-consumer/preferences", key, null).body())
                .path("jurisdiction").asText().equals("EU"));

        HttpResponse<String> widened = send("POST", "/v1/chat/completions", key, CHAT + "}",
                Map.of("X-Archipelago-Jurisdiction", "CH"));
        assertError(widened, 400, "jurisdiction_conflict");
        assertThat(json.readTree(widened.body()).path("error").path("message").asText()).contains("narrow");

        assertError(send("POST", "/v1/chat/completions", key, CHAT + ",\"min_karma\":50}"), 400, "karma_conflict");
        assertError(send("POST", "/v1/quotes", key, "{\"model\":\"" + MODEL + "\"}",
                Map.of("X-Archipelago-Jurisdiction", "US")), 400, "jurisdiction_conflict");

        JsonNode narrowed = quote(key, "{\"model\":\"" + MODEL + "\",\"jurisdiction\":\"NL,CH\"}", Map.of());
        assertThat(narrowed.path("terms").path("jurisdiction").path("countries").toString()).isEqualTo("[\"NL\"]");
        assertThat(narrowed.path("island_id").asText()).isEqualTo("demo-amsterdam");
    }

    @Test
    void preferencesBindTheVeryNextRequestWhileTheReadSideStillShowsTheOldOnes() throws Exception {
        String key = consumer("hasty-consumer");
        await().atMost(Duration.ofSeconds(10)).until(() -> send("GET", "/accounts/hasty-consumer/preferences", key,
                null).statusCode() == 200);
        // the read side is held still, so every request below is resolved against the preferences it had before
        // the change: only the market, reading the account itself, knows of it
        StreamingEventProcessor projections = coordinator.getBean(EventProcessingConfiguration.class)
                .eventProcessor(ProjectionsConfiguration.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow();
        projections.shutDown();
        String jobId;
        try {
            HttpResponse<String> set = send("PUT", "/accounts/hasty-consumer/preferences", key,
                    "{\"jurisdiction\":\"CH\"}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(json.readTree(send("GET", "/accounts/hasty-consumer/preferences", key, null).body())
                    .path("jurisdiction").isNull()).isTrue();

            HttpResponse<String> toGermany = send("POST", "/v1/chat/completions", key, CHAT + "}",
                    Map.of("X-Archipelago-Jurisdiction", "DE"));
            assertError(toGermany, 400, "jurisdiction_conflict");
            assertThat(json.readTree(toGermany.body()).path("error").path("message").asText()).contains("narrow");

            HttpResponse<String> anywhere = send("POST", "/v1/chat/completions", key, CHAT + "}");
            assertThat(anywhere.statusCode()).as(anywhere.body()).isEqualTo(200);
            jobId = anywhere.headers().firstValue("X-Archipelago-Job-Id").orElseThrow();
        } finally {
            projections.start();
        }
        JobViews jobs = coordinator.getBean(JobViews.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.find(jobId)
                .map(job -> job.status() == JobStatus.COMPLETED).orElse(false));
        JobView job = jobs.find(jobId).orElseThrow();
        assertThat(job.islandId()).isEqualTo("demo-zurich");
        assertThat(job.jurisdiction()).contains("CH").doesNotContain("DE");
    }

    @Test
    void quotesCountTheIslandsEachConstraintExcluded() throws Exception {
        String key = consumer("quoting-consumer");

        JsonNode everywhere = quote(key, "{\"model\":\"" + MODEL + "\"}", Map.of());
        assertThat(everywhere.path("islands").asInt()).isEqualTo(3);
        assertThat(everywhere.path("eligible_islands").asInt()).isEqualTo(2);
        assertThat(everywhere.path("terms").path("jurisdiction").path("name").asText()).isEqualTo("REGION:DE");
        assertThat(everywhere.path("excluded").path("jurisdiction").asInt()).isEqualTo(1);

        JsonNode american = quote(key, "{\"model\":\"" + MODEL + "\",\"jurisdiction\":\"US\"}", Map.of());
        assertThat(american.path("eligible_islands").asInt()).isZero();
        assertThat(american.path("excluded").path("jurisdiction").asInt()).isEqualTo(3);
        assertThat(american.path("outcome").asText()).isEqualTo("resting");
        assertThat(american.path("island_id").isNull()).isTrue();
        assertThat(american.path("price").isNull()).isTrue();

        JsonNode cheap = quote(key, "{\"model\":\"" + MODEL + "\",\"limit_micro_credits\":500}", Map.of());
        assertThat(cheap.path("eligible_islands").asInt()).isZero();
        assertThat(cheap.path("excluded").path("jurisdiction").asInt()).isEqualTo(1);
        assertThat(cheap.path("excluded").path("price").asInt()).isEqualTo(2);

        JsonNode demanding = quote(key, "{\"model\":\"" + MODEL + "\"}", Map.of("X-Archipelago-Min-Karma", "1000"));
        assertThat(demanding.path("eligible_islands").asInt()).isZero();
        assertThat(demanding.path("excluded").path("jurisdiction").asInt()).isEqualTo(1);
        assertThat(demanding.path("excluded").path("karma").asInt()).isEqualTo(2);

        JsonNode dear = quote(key, "{\"model\":\"" + MODEL + "\",\"max_units\":100000}", Map.of());
        assertThat(dear.path("worst_case_micro_credits").asLong()).isEqualTo(5_000L * 100_000);
        assertThat(dear.path("available_micro_credits").asLong()).isEqualTo(MicroCredits.credits(10).value());
        assertThat(dear.path("covered").asBoolean()).isFalse();
        assertThat(dear.path("outcome").asText()).isEqualTo("rejected");
        assertThat(dear.path("rejection").asText()).isEqualTo("insufficient_quota");
    }

    @Test
    void malformedPreferencesAndQuotesAreRefusedInTheirDoorsShapes() throws Exception {
        String key = consumer("careless-consumer");

        HttpResponse<String> misspelt = send("PUT", "/accounts/careless-consumer/preferences", key,
                "{\"jurisdicton\":\"CH\"}");
        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(json.readTree(misspelt.body()).path("detail").asText()).contains("unknown field 'jurisdicton'");
        HttpResponse<String> unknownCountry = send("PUT", "/accounts/careless-consumer/preferences", key,
                "{\"jurisdiction\":\"XX\"}");
        assertThat(unknownCountry.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unknownCountry.body()).path("detail").asText()).startsWith("jurisdiction:");

        assertError(send("POST", "/v1/quotes", key, "{}"), 400, "missing_model");
        assertError(send("POST", "/v1/quotes", key, "{\"model\":\"llm.none\"}"), 404, "model_not_found");
        assertError(send("POST", "/v1/quotes", key, "{\"model\":"), 400, "invalid_json");
        assertError(send("POST", "/v1/quotes", key, "{\"model\":\"" + MODEL + "\",\"max_units\":0}"), 400,
                "invalid_bid");
        assertThat(send("POST", "/v1/quotes", null, "{\"model\":\"" + MODEL + "\"}").statusCode()).isEqualTo(401);
    }

    /** Opens a DE account with 10 credits and issues it an API key. */
    private String consumer(String account) throws Exception {
        CommandGateway gateway = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        gateway.sendAndWait(new OpenAccount(new AccountId(account), Country.of("DE"), clock.instant()));
        gateway.sendAndWait(new DepositCredits(new AccountId(account), "credits", MicroCredits.credits(10),
                clock.instant()));
        HttpResponse<String> issued = send("POST", "/accounts/" + account + "/keys", OPERATOR, "");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return json.readTree(issued.body()).path("key").asText();
    }

    private JsonNode quote(String key, String body, Map<String, String> headers) throws Exception {
        HttpResponse<String> response = send("POST", "/v1/quotes", key, body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode quote = json.readTree(response.body());
        assertThat(quote.path("object").asText()).isEqualTo("quote");
        return quote;
    }

    private void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json.readTree(response.body()).path("error").path("code").asText()).as(response.body())
                .isEqualTo(code);
    }

    private HttpResponse<String> send(String method, String path, @Nullable String credential,
                                      @Nullable String body) throws Exception {
        return send(method, path, credential, body, Map.of());
    }

    private HttpResponse<String> send(String method, String path, @Nullable String credential, @Nullable String body,
                                      Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        Optional.ofNullable(credential).ifPresent(value -> request.header("Authorization", "Bearer " + value));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

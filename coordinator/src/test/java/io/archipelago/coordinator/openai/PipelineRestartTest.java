package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.access.AbandonedJobs;
import io.archipelago.access.TestCredentials;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.DeclarePipeline;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.PipelineStage;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.market.MarketViews;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A coordinator stopped while a pipeline job runs (each stage's Island holds its stage, so the job is mid-way for
 * certain), then started again on its data directory: the bridge finds the job running in the history, no live node
 * holds it, and it fails it once with no stage to blame. The consumer's whole deposit is available again, nothing
 * stays in escrow, no Island's karma records a failure, and the auditor's replay is clean and conserved. A second
 * held job is ended before the stop as the retry of a request whose node died ends it ({@link DeadRequestJobs}).
 */
class PipelineRestartTest {

    private static final String CARGO = "embeddings.minilm.held";
    private static final AccountId CONSUMER = new AccountId("held-consumer");
    private static final AccountId PUBLISHER = new AccountId("publisher-1");
    private static final MicroCredits DEPOSIT = MicroCredits.credits(100);
    private static final List<String> ISLANDS = List.of("held-a", "held-b");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void aPipelineJobRunningWhenTheCoordinatorStoppedIsFailedOnceAfterTheRestartAndItsEscrowReturned()
            throws Exception {
        String key;
        List<IslandAgent> agents = new ArrayList<>();
        // the first run never gives up on the held job by itself, and stops at once, as a killed process does
        try (ConfigurableApplicationContext first = WholeCoordinator.start(dataDir, Map.of(
                "archipelago.bridge.probe-interval", "200ms", "archipelago.bridge.stall-timeout", "5m",
                "server.shutdown", "immediate"))) {
            URI url = WholeCoordinator.url(first);
            CommandGateway commands = first.getBean(CommandGateway.class);
            Clock clock = first.getBean(Clock.class);
            commands.sendAndWait(new RegisterCargo(new CargoType(CARGO), CargoUnit.THOUSAND_TOKENS, PUBLISHER,
                    PricePerUnit.of(10), clock.instant()));
            commands.sendAndWait(new DeclarePipeline(new CargoType(CARGO), new PipelineShape(List.of(
                    new PipelineStage(0, 3, 60), new PipelineStage(3, 6, 30))), PUBLISHER, clock.instant()));
            commands.sendAndWait(new OpenAccount(CONSUMER, Country.of("DE"), clock.instant()));
            commands.sendAndWait(new DepositCredits(CONSUMER, "deposit-1", DEPOSIT, clock.instant()));
            for (String island : ISLANDS) {
                // each Island holds the stage it took until it is told to stop
                agents.add(IslandAgent.start(new AgentSettings(island, "host-" + island, "DE", Map.of(CARGO, 100L),
                        2, List.of(), url, null, "minilm-stages", null, null, Duration.ofMinutes(10))
                        .withKey(TestCredentials.OPERATOR_TOKEN)));
            }
            MarketViews markets = first.getBean(MarketViews.class);
            IslandBridge bridge = first.getBean(IslandBridge.class);
            await().atMost(WAIT).until(() -> markets.find(CARGO).map(market -> market.onlineAsks() == 2)
                    .orElse(false) && bridge.measuredRtts().keySet().containsAll(ISLANDS));
            HttpResponse<String> issued = send(url, "POST", "/accounts/" + CONSUMER.value() + "/keys",
                    TestCredentials.OPERATOR_TOKEN, "");
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            key = json.readTree(issued.body()).path("key").asText();

            JdbcClient jdbc = first.getBean(JdbcClient.class);
            placeHeldJob(url, key, jdbc, 1);
            placeHeldJob(url, key, jdbc, 2);
            // both jobs' stages were offered and taken: they run, their worst cases held in escrow
            await().atMost(WAIT).until(() -> agents.stream().allMatch(agent -> agent.runningJobs() == 2));
            await().atMost(WAIT).until(() -> balance(url, CONSUMER.value()).path("escrowMicroCredits").asLong() > 0);
            assertThat(count(jdbc, "PipelineFailed")).isZero();

            // a retry taking over the Idempotency-Key of a request whose node died ends its job at no charge; a job
            // the market no longer runs may have been charged, which is not known here: the retry is refused
            DeadRequestJobs dead = first.getBean(DeadRequestJobs.class);
            JobId retried = placedJobs(jdbc).get(1);
            assertThat(dead.end(new CargoType(CARGO), retried)).isEqualTo(AbandonedJobs.Outcome.UNCHARGED);
            assertThat(dead.end(new CargoType(CARGO), retried)).isEqualTo(AbandonedJobs.Outcome.UNKNOWN);
            assertThat(count(jdbc, "PipelineFailed")).isEqualTo(1);
            // the stages' Islands of the failed job were told to stop it; the other job still holds them
            await().atMost(WAIT).until(() -> agents.stream().allMatch(agent -> agent.runningJobs() == 1));
            assertThat(count(jdbc, "PipelineCompleted")).isZero();
            agents.forEach(IslandAgent::close);
        }

        try (ConfigurableApplicationContext second = WholeCoordinator.start(dataDir, Map.of(
                "archipelago.bridge.stall-timeout", "1s",
                // a checkpoint soon, so that the auditor has a signature to verify
                "archipelago.event-chain.checkpoint-every-links", "5",
                "archipelago.event-chain.checkpoint-interval", "1s"))) {
            URI url = WholeCoordinator.url(second);
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            await().atMost(WAIT).until(() -> count(jdbc, "PipelineFailed") == 2);
            assertThat(jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%PipelineFailed'"
                    + " AND convert_from(payload, 'UTF8') LIKE '%coordinator restarted%'"
                    + " AND convert_from(payload, 'UTF8') LIKE '%\"fault\":null%'").query(Integer.class).single())
                    .isEqualTo(1);
            await().atMost(WAIT).until(() -> balance(url, CONSUMER.value()).path("escrowMicroCredits").asLong() == 0);
            JsonNode consumer = balance(url, CONSUMER.value());
            assertThat(consumer.path("availableMicroCredits").asLong()).isEqualTo(DEPOSIT.value());
            for (String island : ISLANDS) {
                assertThat(balance(url, "host-" + island).path("earningsMicroCredits").asLong()).isZero();
            }
            // no stage is to blame: no Island's karma records a failed job
            assertThat(jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%KarmaChanged'"
                    + " AND convert_from(payload, 'UTF8') LIKE '%JOB_FAILED%'").query(Integer.class).single())
                    .isZero();

            JsonNode report = await().atMost(WAIT).until(() -> json.readTree(send(url, "POST", "/ledger/audits",
                    TestCredentials.OPERATOR_TOKEN, "").body()), audited -> audited.path("problems").isEmpty());
            assertThat(report.path("clean").asBoolean()).isTrue();
            assertThat(report.path("conserved").asBoolean()).isTrue();
            // it stays failed once: the take-over runs every second and finds nothing more to do
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> count(jdbc, "PipelineFailed") == 2);
            assertThat(count(jdbc, "PipelineFailed")).isEqualTo(2);
            assertThat(count(jdbc, "PipelineCompleted")).isZero();
        }
    }

    /** Asks for embeddings until the market places the job (it may lack a round trip at first). */
    private void placeHeldJob(URI url, String key, JdbcClient jdbc, int placed) throws Exception {
        String request = json.writeValueAsString(Map.of("model", CARGO, "input", List.of("Held mid-way.")));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(
                    url.resolve("/v1/embeddings")).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(WAIT).until(() -> answer.isDone() || count(jdbc, "PipelinePlaced") == placed);
            if (count(jdbc, "PipelinePlaced") == placed) {
                return true;
            }
            HttpResponse<String> refused = answer.get();
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            return false;
        });
    }

    private List<JobId> placedJobs(JdbcClient jdbc) {
        return jdbc.sql("SELECT convert_from(payload, 'UTF8') FROM domain_event_entry WHERE payload_type LIKE"
                + " '%.PipelinePlaced' ORDER BY global_index").query(String.class).list().stream().map(payload -> {
                    try {
                        JsonNode id = json.readTree(payload).path("jobId");
                        return new JobId(id.isTextual() ? id.asText() : id.path("value").asText());
                    } catch (IOException unreadable) {
                        throw new IllegalStateException(unreadable);
                    }
                }).toList();
    }

    private static int count(JdbcClient jdbc, String event) {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE :type")
                .param("type", "%." + event).query(Integer.class).single();
    }

    private JsonNode balance(URI url, String account) throws IOException, InterruptedException {
        return json.readTree(send(url, "GET", "/accounts/" + account + "/balance", TestCredentials.OPERATOR_TOKEN,
                "").body());
    }

    private HttpResponse<String> send(URI url, String method, String path, String bearer, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path)).header("Authorization",
                "Bearer " + bearer).timeout(Duration.ofMinutes(2));
        request = body.isEmpty() ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

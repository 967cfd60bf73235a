package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
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
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code POST /v1/embeddings} for Cargo types declared pipelines, through a whole coordinator and three real island
 * agents (runtime {@code minilm-stages}, each its own NATS user): all-MiniLM-L6-v2 split in two and in three stages,
 * one Island per stage, the activations going Island to Island. The embeddings equal ONNX Runtime's of the whole
 * model on one machine within 1e-4; every stage's host earns its own ask times the units, the consumer's escrow comes
 * back whole but for the stages' charges, and the auditor's replay is clean with the ledger conserved. A stage
 * whose Island refuses it fails the job and gives the escrow back. Each agent reports the memory it offers stages
 * with its probe answers, and a stage is planned only on an Island that offers what it needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEmbeddingsTest {

    private static final String TWO = "embeddings.minilm.two-stages";
    private static final String THREE = "embeddings.minilm.three-stages";
    /** Four stages, so that every Island takes one, the one that runs no stages among them. */
    private static final String FOUR = "embeddings.minilm.four-stages";
    /** Two stages of 150 MiB each: more than the 100 MiB {@link #SMALL} offers. */
    private static final String ROOMY = "embeddings.minilm.roomy-stages";
    /** A stage that needs more memory than any Island here offers. */
    private static final String HUGE = "embeddings.minilm.huge-stage";
    /** The Island that offers pipeline stages 100 MiB only; the others offer their heap limit. */
    private static final String SMALL = "stage-c";
    private static final long SMALL_MIB = 100;
    private static final String REFUSER = "whole-only";
    private static final AccountId CONSUMER = new AccountId("pipeline-consumer");
    private static final AccountId PUBLISHER = new AccountId("publisher-1");
    private static final long ROYALTY = 10;
    private static final MicroCredits DEPOSIT = MicroCredits.credits(100);
    private static final List<String> ISLANDS = List.of("stage-a", "stage-b", "stage-c");
    private static final List<Long> ASKS = List.of(100L, 200L, 300L);
    private static final List<String> TEXTS = List.of("A pipeline splits one model over several Islands.",
            "The capital of France is Paris.", "Activations travel from stage to stage over NATS.");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<IslandAgent> agents = new ArrayList<>();
    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");
    private String key = "";

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        coordinator = WholeCoordinator.start(dataDir, Map.of("archipelago.bridge.probe-interval", "200ms",
                // a checkpoint soon, so that the auditor has a signature to verify
                "archipelago.event-chain.checkpoint-every-links", "5",
                "archipelago.event-chain.checkpoint-interval", "1s"));
        url = WholeCoordinator.url(coordinator);
        CommandGateway commands = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        for (String cargo : List.of(TWO, THREE, FOUR, ROOMY, HUGE)) {
            commands.sendAndWait(new RegisterCargo(new CargoType(cargo), CargoUnit.THOUSAND_TOKENS, PUBLISHER,
                    PricePerUnit.of(ROYALTY), clock.instant()));
        }
        commands.sendAndWait(new DeclarePipeline(new CargoType(TWO), new PipelineShape(List.of(
                new PipelineStage(0, 3, 60), new PipelineStage(3, 6, 30))), PUBLISHER, clock.instant()));
        commands.sendAndWait(new DeclarePipeline(new CargoType(THREE), new PipelineShape(List.of(
                new PipelineStage(0, 2, 60), new PipelineStage(2, 4, 20), new PipelineStage(4, 6, 20))), PUBLISHER,
                clock.instant()));
        commands.sendAndWait(new DeclarePipeline(new CargoType(FOUR), new PipelineShape(List.of(
                new PipelineStage(0, 2, 60), new PipelineStage(2, 3, 10), new PipelineStage(3, 4, 10),
                new PipelineStage(4, 6, 20))), PUBLISHER, clock.instant()));
        commands.sendAndWait(new DeclarePipeline(new CargoType(ROOMY), new PipelineShape(List.of(
                new PipelineStage(0, 3, 150), new PipelineStage(3, 6, 150))), PUBLISHER, clock.instant()));
        commands.sendAndWait(new DeclarePipeline(new CargoType(HUGE), new PipelineShape(List.of(
                new PipelineStage(0, 3, 60), new PipelineStage(3, 6, 4_000_000))), PUBLISHER, clock.instant()));
        commands.sendAndWait(new OpenAccount(CONSUMER, Country.of("DE"), clock.instant()));
        commands.sendAndWait(new DepositCredits(CONSUMER, "deposit-1", DEPOSIT, clock.instant()));
        for (int i = 0; i < ISLANDS.size(); i++) {
            AgentSettings settings = new AgentSettings(ISLANDS.get(i), "host-" + ISLANDS.get(i), "DE",
                    Map.of(TWO, ASKS.get(i), THREE, ASKS.get(i), FOUR, ASKS.get(i), ROOMY, ASKS.get(i), HUGE,
                            ASKS.get(i)), 2, List.of(), url, null, "minilm-stages", null, null, Duration.ZERO)
                    .withKey(TestCredentials.OPERATOR_TOKEN);
            agents.add(IslandAgent.start(ISLANDS.get(i).equals(SMALL) ? settings.withMemoryMib(SMALL_MIB)
                    : settings));
        }
        // an Island of the whole model only: offered a stage, it refuses
        agents.add(IslandAgent.start(new AgentSettings(REFUSER, "host-" + REFUSER, "DE", Map.of(FOUR, 100L), 2,
                List.of(), url, null, "embeddings", null, null, Duration.ZERO)
                .withKey(TestCredentials.OPERATOR_TOKEN)));
        MarketViews markets = coordinator.getBean(MarketViews.class);
        IslandBridge bridge = coordinator.getBean(IslandBridge.class);
        await().atMost(WAIT).until(() -> markets.find(THREE).map(market -> market.onlineAsks() == 3).orElse(false)
                && markets.find(TWO).map(market -> market.onlineAsks() == 3).orElse(false)
                && markets.find(FOUR).map(market -> market.onlineAsks() == 4).orElse(false)
                && bridge.measuredRtts().keySet().containsAll(ISLANDS)
                && bridge.measuredRtts().containsKey(REFUSER)
                && bridge.reportedMemoryMib().keySet().containsAll(ISLANDS)
                && bridge.reportedMemoryMib().containsKey(REFUSER));
        HttpResponse<String> issued = send("POST", "/accounts/" + CONSUMER.value() + "/keys",
                TestCredentials.OPERATOR_TOKEN, "");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        key = json.readTree(issued.body()).path("key").asText();
    }

    @AfterAll
    void stop() {
        agents.forEach(IslandAgent::close);
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    @Order(1)
    void twoAndThreeStagesOnTheirOwnIslandsEmbedAsTheWholeModelDoesAndPayEveryStage() throws Exception {
        EmbeddingModel whole = new AllMiniLmL6V2EmbeddingModel();
        List<float[]> expected = TEXTS.stream().map(text -> whole.embed(text).content().vector()).toList();
        for (String cargo : List.of(TWO, THREE)) {
            JsonNode body = embed(cargo);
            assertThat(body.path("data")).hasSize(TEXTS.size());
            for (int i = 0; i < TEXTS.size(); i++) {
                JsonNode vector = body.path("data").get(i).path("embedding");
                assertThat(body.path("data").get(i).path("index").asInt()).isEqualTo(i);
                assertThat(vector).hasSize(384);
                double largest = 0;
                for (int d = 0; d < 384; d++) {
                    largest = Math.max(largest, Math.abs(vector.get(d).floatValue() - expected.get(i)[d]));
                }
                assertThat(largest).as("%s, text %d", cargo, i).isLessThan(1e-4);
            }
        }
        // three short texts are under a thousand tokens: one unit on every stage. Each host earns its own ask per
        // unit for each stage it ran: all three ran one of the three-stage job, two of them one of the two-stage job
        // the read model catches up with the last settlement's events: the publisher's and the platform's last
        await().atMost(WAIT).until(() -> earnings(PUBLISHER.value()) == 5 * ROYALTY
                && DEPOSIT.value() - balance(CONSUMER.value()).path("availableMicroCredits").asLong()
                == hostsEarned() + 5 * ROYALTY + earnings(AccountId.PLATFORM.value()));
        List<Long> perAsk = new ArrayList<>();
        for (int i = 0; i < ISLANDS.size(); i++) {
            long earned = earnings("host-" + ISLANDS.get(i));
            assertThat(earned % ASKS.get(i)).as(ISLANDS.get(i)).isZero();
            perAsk.add(earned / ASKS.get(i));
        }
        assertThat(perAsk).containsExactlyInAnyOrder(1L, 2L, 2L);
        long hosts = hostsEarned();
        long fees = earnings(AccountId.PLATFORM.value());
        assertThat(fees).isPositive();
        JsonNode consumer = balance(CONSUMER.value());
        assertThat(consumer.path("escrowMicroCredits").asLong()).isZero();
        // what left the consumer is exactly what the stages' hosts, the publisher and the platform earned
        assertThat(DEPOSIT.value() - consumer.path("availableMicroCredits").asLong())
                .isEqualTo(hosts + 5 * ROYALTY + fees);

        // the Islands measured each other when the first pipeline needed their hops, over their own NATS users
        IslandBridge bridge = coordinator.getBean(IslandBridge.class);
        for (int i = 0; i < ISLANDS.size(); i++) {
            for (int j = i + 1; j < ISLANDS.size(); j++) {
                String one = ISLANDS.get(i);
                String other = ISLANDS.get(j);
                assertThat(await().atMost(WAIT).until(() -> bridge.peerRtt(one, other), Optional::isPresent).get())
                        .as("%s to %s", one, other).isPositive().isLessThan(500_000);
            }
        }

        // once a signed checkpoint covers the chain's last links
        JsonNode report = await().atMost(WAIT).until(() -> json.readTree(send("POST", "/ledger/audits",
                TestCredentials.OPERATOR_TOKEN, "").body()), audited -> audited.path("problems").isEmpty());
        assertThat(report.path("problems").toString()).isEqualTo("[]");
        assertThat(report.path("clean").asBoolean()).isTrue();
        assertThat(report.path("conserved").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void aStageItsIslandRefusesFailsTheJobAndGivesTheEscrowBack() throws Exception {
        String request = json.writeValueAsString(Map.of("model", FOUR, "input", TEXTS));
        HttpResponse<String> response = placed(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("island_failed");
        assertThat(error.path("message").asText()).contains("refused it: this island runs no pipeline stages");
        // nothing stays held for the failed job, and none of its stages' hosts earned anything from it: its escrow,
        // projected by now, goes back once the bridge's FailPipeline (sent as the stream failed) is handled
        caughtUp();
        awaitNothingHeld();
        assertThat(earnings("host-" + REFUSER)).isZero();
    }

    @Test
    @Order(3)
    void aStageNoIslandHasTheMemoryForIsRefusedAndHoldsNothing() throws Exception {
        IslandBridge bridge = coordinator.getBean(IslandBridge.class);
        // what each agent offers reached the exchange: the heap limit, or what its host named
        assertThat(bridge.reportedMemoryMib()).containsEntry(SMALL, SMALL_MIB);
        assertThat(bridge.reportedMemoryMib().get("stage-a")).isGreaterThan(150L);

        // the jobs before this one settled in the read models too (their escrow taken and given back)
        caughtUp();
        awaitNothingHeld();
        JsonNode before = balance(CONSUMER.value());
        HttpResponse<String> response = send("POST", "/v1/embeddings", key,
                json.writeValueAsString(Map.of("model", HUGE, "input", TEXTS)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).as("a 503 says when to try again").contains("2");
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("no_pipeline");
        assertThat(error.path("message").asText()).contains("memory");
        caughtUp();
        JsonNode after = balance(CONSUMER.value());
        assertThat(after.path("escrowMicroCredits").asLong()).isZero();
        assertThat(after.path("availableMicroCredits").asLong())
                .isEqualTo(before.path("availableMicroCredits").asLong());
    }

    /** Last: its job's earnings would count in what the first test sums up. */
    @Test
    @Order(4)
    void stagesArePlacedOnlyOnIslandsThatOfferTheirMemory() throws Exception {
        caughtUp();
        long small = earnings("host-" + SMALL);
        long a = earnings("host-stage-a");
        long b = earnings("host-stage-b");
        JsonNode body = embed(ROOMY);
        assertThat(body.path("data")).hasSize(TEXTS.size());
        // one unit on each of the two stages, which only stage-a and stage-b can hold
        await().atMost(WAIT).until(() -> earnings("host-stage-a") == a + ASKS.get(0)
                && earnings("host-stage-b") == b + ASKS.get(1));
        assertThat(earnings("host-" + SMALL)).isEqualTo(small);
    }

    /**
     * Returns once the read models have handled every event stored by now: {@code GET /jobs/{id}} of a job never
     * placed answers 404 only after they caught up (read-your-writes).
     */
    private void caughtUp() throws IOException, InterruptedException {
        assertThat(send("GET", "/jobs/never-placed-" + System.nanoTime(), key, "").statusCode()).isEqualTo(404);
    }

    private void awaitNothingHeld() {
        await().atMost(WAIT).until(() -> balance(CONSUMER.value()).path("escrowMicroCredits").asLong() == 0);
    }

    private long hostsEarned() throws IOException, InterruptedException {
        long hosts = 0;
        for (String island : ISLANDS) {
            hosts += earnings("host-" + island);
        }
        return hosts;
    }

    private long earnings(String account) throws IOException, InterruptedException {
        return balance(account).path("earningsMicroCredits").asLong();
    }

    private JsonNode embed(String cargo) throws Exception {
        String request = json.writeValueAsString(Map.of("model", cargo, "input", TEXTS, "encoding_format", "float"));
        HttpResponse<String> response = placed(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> placed(String request) throws Exception {
        // the market may not have every Island's round trip yet when the first request comes
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> send("POST", "/v1/embeddings", key, request), response -> response.statusCode() != 503);
    }

    private JsonNode balance(String account) throws IOException, InterruptedException {
        return json.readTree(send("GET", "/accounts/" + account + "/balance", TestCredentials.OPERATOR_TOKEN, "")
                .body());
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path)).header("Authorization",
                "Bearer " + bearer).timeout(Duration.ofMinutes(2));
        request = body.isEmpty() ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

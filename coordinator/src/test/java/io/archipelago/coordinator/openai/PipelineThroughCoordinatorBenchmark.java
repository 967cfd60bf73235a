package io.archipelago.coordinator.openai;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Embeddings through a whole coordinator (the test's JVM) and three {@code minilm-stages} agents: one Island running
 * the whole model on ONNX Runtime, and the plain-Java model split in 2 and 3 stages on distinct Islands, one request
 * of one text at a time over HTTP. Prints latency per configuration, the cost of the third stage's extra hop (3
 * stages minus 2: the same layers, one hop and one offer more), the round trips the coordinator measured to each
 * Island and those the Islands measured between them ({@code PeerProbe}). Run by {@code scripts/bench-pipeline.sh};
 * never by {@code verify} (its name ends in Benchmark).
 */
class PipelineThroughCoordinatorBenchmark {

    private static final String WHOLE = "embeddings.minilm.whole";
    private static final String TWO = "embeddings.minilm.two-stages";
    private static final String THREE = "embeddings.minilm.three-stages";
    private static final AccountId CONSUMER = new AccountId("bench-consumer");
    private static final List<String> ISLANDS = List.of("bench-a", "bench-b", "bench-c");
    private static final int WARMUP = Integer.getInteger("bench.warmup", 3);
    private static final int REQUESTS = Integer.getInteger("bench.requests", 20);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void printsLatencyOfOneIslandAndOfTwoAndThreeStagesThroughTheCoordinator(@TempDir Path dataDir)
            throws Exception {
        List<IslandAgent> agents = new ArrayList<>();
        try (ConfigurableApplicationContext coordinator = WholeCoordinator.start(dataDir,
                Map.of("archipelago.bridge.probe-interval", "500ms", "logging.level.io.archipelago", "WARN"))) {
            URI url = WholeCoordinator.url(coordinator);
            CommandGateway commands = coordinator.getBean(CommandGateway.class);
            Clock clock = coordinator.getBean(Clock.class);
            AccountId publisher = new AccountId("publisher-1");
            for (String cargo : List.of(WHOLE, TWO, THREE)) {
                commands.sendAndWait(new RegisterCargo(new CargoType(cargo), CargoUnit.THOUSAND_TOKENS, publisher,
                        PricePerUnit.of(10), clock.instant()));
            }
            commands.sendAndWait(new DeclarePipeline(new CargoType(TWO), new PipelineShape(List.of(
                    new PipelineStage(0, 3, 60), new PipelineStage(3, 6, 30))), publisher, clock.instant()));
            commands.sendAndWait(new DeclarePipeline(new CargoType(THREE), new PipelineShape(List.of(
                    new PipelineStage(0, 2, 60), new PipelineStage(2, 4, 20), new PipelineStage(4, 6, 20))),
                    publisher, clock.instant()));
            commands.sendAndWait(new OpenAccount(CONSUMER, Country.of("DE"), clock.instant()));
            commands.sendAndWait(new DepositCredits(CONSUMER, "deposit-1", MicroCredits.credits(1_000_000),
                    clock.instant()));
            for (String island : ISLANDS) {
                agents.add(IslandAgent.start(new AgentSettings(island, "host-" + island, "DE",
                        Map.of(WHOLE, 100L, TWO, 100L, THREE, 100L), 4, List.of(), url, null, "minilm-stages", null,
                        null, Duration.ZERO).withKey(TestCredentials.OPERATOR_TOKEN)));
            }
            MarketViews markets = coordinator.getBean(MarketViews.class);
            IslandBridge bridge = coordinator.getBean(IslandBridge.class);
            await().atMost(Duration.ofSeconds(120)).until(() -> List.of(WHOLE, TWO, THREE).stream()
                    .allMatch(cargo -> markets.find(cargo).map(market -> market.onlineAsks() == 3).orElse(false))
                    && bridge.measuredRtts().keySet().containsAll(ISLANDS));
            HttpResponse<String> issued = send(url, "/accounts/" + CONSUMER.value() + "/keys",
                    TestCredentials.OPERATOR_TOKEN, "");
            String key = json.readTree(issued.body()).path("key").asText();
            double[] whole = measure(url, key, WHOLE);
            double[] two = measure(url, key, TWO);
            double[] three = measure(url, key, THREE);
            print("one Island, ONNX Runtime, whole model", whole);
            print("2 stages, plain Java, 2 Islands", two);
            print("3 stages, plain Java, 3 Islands", three);
            System.out.printf(Locale.ROOT, "pipeline-coordinator third hop cost (3 stages - 2 stages): p50 %.1f ms,"
                    + " mean %.1f ms%n", percentile(three, 50) - percentile(two, 50), mean(three) - mean(two));
            bridge.measuredRtts().forEach((island, rtt) -> System.out.printf(Locale.ROOT,
                    "pipeline-coordinator measured RTT coordinator -> %s: %.2f ms%n", island, rtt / 1_000.0));
            for (int i = 0; i < ISLANDS.size(); i++) {
                for (int j = i + 1; j < ISLANDS.size(); j++) {
                    String one = ISLANDS.get(i);
                    String other = ISLANDS.get(j);
                    System.out.printf(Locale.ROOT, "pipeline-coordinator measured RTT %s <-> %s (PeerProbe): %s%n",
                            one, other, bridge.peerRtt(one, other).map(rtt -> String.format(Locale.ROOT, "%.2f ms",
                                    rtt / 1_000.0)).orElse("not measured"));
                }
            }
        } finally {
            agents.forEach(IslandAgent::close);
        }
    }

    private double[] measure(URI url, String key, String cargo) throws Exception {
        double[] millis = new double[REQUESTS];
        for (int i = -WARMUP; i < REQUESTS; i++) {
            String body = json.writeValueAsString(Map.of("model", cargo, "input",
                    "Request number " + i + " of the pipeline benchmark, one short text.", "encoding_format",
                    "float"));
            long start = System.nanoTime();
            HttpResponse<String> response = send(url, "/v1/embeddings", key, body);
            long took = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(cargo + ": " + response.statusCode() + " " + response.body());
            }
            if (i >= 0) {
                millis[i] = took / 1e6;
            }
        }
        return millis;
    }

    private static void print(String what, double[] millis) {
        System.out.printf(Locale.ROOT, "pipeline-coordinator %s: p50 %.1f ms, p99 %.1f ms, mean %.1f ms,"
                + " %.2f requests/s sequential (%d requests)%n", what, percentile(millis, 50),
                percentile(millis, 99), mean(millis), 1_000 / mean(millis), millis.length);
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private HttpResponse<String> send(URI url, String path, String bearer, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}

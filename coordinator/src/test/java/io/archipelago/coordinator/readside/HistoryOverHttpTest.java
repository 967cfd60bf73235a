package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.CoordinatorApplication;
import io.archipelago.coordinator.Trading;
import io.archipelago.access.TestCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.StreamSupport;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The analysts' endpoints, OpenAPI and Prometheus against the real coordinator after trading: candles, depth,
 * Islands, karma history, payouts and usage agree with the trades that were made. Metrics are exported as in
 * production ({@code @AutoConfigureObservability}; tests turn exporters off by default).
 */
@AutoConfigureObservability
@SpringBootTest(classes = CoordinatorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HistoryOverHttpTest {

    private static final String CARGO = Trading.CARGO.value();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void coordinator(DynamicPropertyRegistry registry) {
        registry.add("archipelago.data-dir", () -> dataDir.toString());
        registry.add(TestCredentials.PROPERTY, () -> TestCredentials.OPERATOR_TOKEN);
        registry.add("archipelago.postgres.port", () -> 0);
        registry.add("archipelago.postgres.durable", () -> false);
        registry.add("archipelago.bridge.enabled", () -> false);
        registry.add("archipelago.kafka.embedded", () -> false);
        registry.add("archipelago.kafka.export.enabled", () -> false);
        registry.add("logging.level.org.axonframework", () -> "WARN");
    }

    @Autowired
    private TestRestTemplate http;

    /** Jobs placed by the trading all tests share; 0 until it ran. */
    private static int placed;

    @BeforeEach
    void tradeOnce(@Autowired CommandGateway gateway, @Autowired Configuration axon, @Autowired JdbcTemplate jdbc) {
        TestCredentials.asOperator(http);
        if (placed == 0) {
            placed = new ReadSideWorkload(gateway).open().jobs(0, 30)
                    .payout(ReadSideWorkload.HOST, "payout-1", 700, 40).placedJobs();
            ReadSideNodes.awaitCaughtUp(axon, jdbc);
        }
    }

    @Test
    void candlesAddUpToTheCompletedJobs() throws IOException {
        JsonNode minutes = get("/markets/" + CARGO + "/candles?resolution=1m&limit=1000");
        JsonNode day = get("/markets/" + CARGO + "/candles?resolution=1d");

        long completed = placed - placed / 5;
        assertThat(sum(minutes.get("items"), "trades")).isEqualTo(completed);
        assertThat(day.get("items")).hasSize(1);
        JsonNode candle = day.get("items").get(0);
        assertThat(candle.get("trades").asLong()).isEqualTo(completed);
        assertThat(candle.get("volumeUnits").asLong()).isEqualTo(sum(minutes.get("items"), "volumeUnits"));
        assertThat(candle.get("start").asText()).isEqualTo("2025-06-02T00:00:00Z");
        assertThat(candle.get("low").asLong()).isEqualTo(100);
        assertThat(get("/markets/" + CARGO + "/candles?resolution=1m&to=2025-06-02T10:00:10Z")
                .get("items")).hasSize(1);
    }

    @Test
    void everyClearedRateIsInTheRateHistoryInOrder() throws IOException {
        // the workload clears the rate after every tenth job of its 30, on its own day; the market clock clears
        // others at the machine's time, outside that day
        JsonNode rates = get("/markets/" + CARGO + "/rates?from=2025-06-02T00:00:00Z&to=2025-06-03T00:00:00Z"
                + "&limit=1000").get("items");
        assertThat(rates).hasSize(3);
        assertThat(rates.get(0).get("clearedAt").asText()).isEqualTo("2025-06-02T10:00:09Z");
        for (int i = 1; i < rates.size(); i++) {
            assertThat(rates.get(i).get("clearedAt").asText())
                    .isGreaterThan(rates.get(i - 1).get("clearedAt").asText());
        }
        assertThat(rates.get(0).get("rateMicroCredits").asLong()).isPositive();
        assertThat(rates.get(0).get("trades").asInt()).isPositive();
        assertThat(get("/markets/" + CARGO + "/rates?from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z")
                .get("items")).isEmpty();
    }

    @Test
    void usageDepthIslandsKarmaAndPayouts() throws IOException {
        JsonNode usage = get("/usage?publisher=" + Trading.PUBLISHER.value());
        assertThat(usage.get("items")).hasSize(1);
        assertThat(usage.get("items").get(0).get("jobs").asLong()).isEqualTo(placed - placed / 5);

        JsonNode depth = get("/markets/" + CARGO + "/depth");
        assertThat(depth.get("asks").get(0).get("priceMicroCredits").asLong()).isEqualTo(100);
        assertThat(depth.get("asks").get(1).get("priceMicroCredits").asLong()).isEqualTo(120);
        assertThat(depth.get("bids")).isEmpty();

        JsonNode islands = get("/islands?country=DE");
        assertThat(islands.get("items")).hasSize(2);
        JsonNode island = get("/islands/island-1");
        assertThat(island.get("country").asText()).isEqualTo("DE");
        assertThat(island.get("rttMicros").asLong()).isEqualTo(20_000);
        assertThat(island.get("online").asBoolean()).isTrue();
        JsonNode karma = get("/islands/island-1/karma?limit=1000");
        assertThat(karma.get("items")).isNotEmpty();
        assertThat(karma.get("items").get(karma.get("items").size() - 1).get("current").asInt())
                .isEqualTo(island.get("karma").asInt());

        JsonNode payouts = get("/payouts?account=host-1&status=PAID");
        assertThat(payouts.get("items")).hasSize(1);
        assertThat(payouts.get("items").get(0).get("amountMicroCredits").asLong()).isEqualTo(700);
    }

    @Test
    void openApiAndPrometheusAreServed() throws IOException {
        JsonNode api = get("/v3/api-docs");
        assertThat(api.get("paths").has("/markets/{cargo}/candles")).isTrue();
        assertThat(api.get("paths").has("/admin/dead-letters")).isTrue();

        ResponseEntity<String> metrics = http.getForEntity("/actuator/prometheus", String.class);
        assertThat(metrics.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(metrics.getBody()).contains("archipelago_processor_lag{processor=\"projections\"} 0.0",
                "archipelago_dead_letters{processor=\"projections\"} 0.0", "archipelago_placements_total",
                "archipelago_settlement_volume_micro_credits_total", "archipelago_placement_rtt_seconds_bucket");
    }

    private JsonNode get(String path) throws IOException {
        ResponseEntity<String> response = http.getForEntity(path, String.class);
        assertThat(response.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
        return JSON.readTree(response.getBody());
    }

    private static long sum(JsonNode items, String field) {
        return StreamSupport.stream(items.spliterator(), false).mapToLong(item -> item.get(field).asLong()).sum();
    }
}

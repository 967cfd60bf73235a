package io.archipelago.coordinator.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.access.TestCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A bid that rests in a market where nothing else happens still expires when its time to live runs out, and its
 * escrow goes back to the consumer: nobody has to call {@code POST /markets/{cargo}/expire}. The clock runs on one
 * node of the cluster at a time: the one holding the lease, which another node takes over once it is let go.
 */
class MarketClockTest {

    private static final long DEPOSIT = 1_000_000;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRestingBidsEscrowComesBackOnceItsTimeToLiveRanOut(@TempDir Path dataDir) throws Exception {
        try (ConfigurableApplicationContext coordinator = WholeCoordinator.start(dataDir,
                Map.of("archipelago.market.expiry-interval", "200ms"))) {
            URI url = WholeCoordinator.url(coordinator);
            send(url, "/cargos", "{\"cargo\":\"llm.quiet\",\"unit\":\"THOUSAND_TOKENS\",\"publisher\":\"publisher-q\","
                    + "\"royaltyMicroCredits\":10}", 201);
            send(url, "/accounts", "{\"accountId\":\"consumer-q\",\"country\":\"DE\"}", 201);
            send(url, "/accounts/consumer-q/deposits", "{\"amountMicroCredits\":" + DEPOSIT + "}", 201);

            // no Island serves llm.quiet: the bid rests, holding limit x units in escrow, for one second
            JsonNode bid = send(url, "/markets/llm.quiet/bids", "{\"jobId\":\"job-q\",\"consumer\":\"consumer-q\","
                    + "\"limitMicroCredits\":5000,\"maxUnits\":10,\"ttlSeconds\":1}", 201);
            assertThat(bid.path("status").asText()).isEqualTo("RESTING");

            JsonNode balance = await().atMost(Duration.ofSeconds(30)).until(
                    () -> get(url, "/accounts/consumer-q/balance"),
                    view -> view.path("escrowMicroCredits").asLong() == 0
                            && view.path("availableMicroCredits").asLong() == DEPOSIT);
            assertThat(balance.path("availableMicroCredits").asLong()).isEqualTo(DEPOSIT);
            await().atMost(Duration.ofSeconds(30)).until(() -> get(url, "/jobs/job-q").path("status").asText(),
                    status -> status.equals("EXPIRED"));

            // a second node asking for the clock's lease is refused while this node's clock holds it, and takes it
            // over once the clock stops (as it would when the node died and its database session ended)
            try (ClusterLease secondNode = new ClusterLease(coordinator.getBean(DataSource.class),
                    MarketClock.LEASE_KEY)) {
                assertThat(secondNode.held()).isFalse();
                coordinator.getBean(MarketClock.class).stop();
                assertThat(secondNode.held()).isTrue();
                assertThat(secondNode.held()).as("held until let go").isTrue();
            }
        }
    }

    private JsonNode send(URI url, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", TestCredentials.OPERATOR).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s -> %s", path, response.body()).isEqualTo(expected);
        return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
    }

    private JsonNode get(URI url, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", TestCredentials.OPERATOR).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? json.readTree(response.body()) : json.createObjectNode();
    }
}

package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.account.AccountBalanceView;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.projections.batch.BatchProgressView;
import io.archipelago.projections.job.JobViews;
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
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A coordinator that stops in the middle of a batch and starts again on the same data: the batch does not stay
 * running. The items that completed before keep their settled cost, those whose job the restart interrupted are
 * retried, those still waiting are placed, and the batch ends with every item completed or failed for a reason, its
 * costs what the exchange charged and the consumer's balance short of exactly that.
 */
class BatchRestartTest {

    private static final String MODEL = "llm.chat.demo";
    private static final String OPERATOR = "test-operator";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long DEPOSIT = MicroCredits.credits(10).value();
    private static final int ITEMS = 60;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void aBatchInterruptedByARestartIsResumedAndEndsWithEveryItemAccountedFor() throws Exception {
        String account = "restarted-batcher";
        String key;
        String id;
        List<Integer> waitingAtStop = new ArrayList<>();
        try (ConfigurableApplicationContext first = start()) {
            URI url = WholeCoordinator.url(first);
            openAccount(first, account);
            key = issueKey(url, account);
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(url.resolve("/batches"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(batch())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            id = json.readTree(created.body()).path("id").asText();
            JsonNode midway = await().atMost(WAIT).until(() -> read(url, id, key),
                    batch -> count(batch, "completed") >= 2);
            assertThat(midway.path("status").asText()).as("the batch is midway when the coordinator stops")
                    .isEqualTo("running");
            for (int index = 0; index < ITEMS; index++) {
                // queued, or placed and running: either way its end comes after the restart
                String status = midway.path("items").get(index).path("status").asText();
                if (!status.equals("completed") && !status.equals("failed")) {
                    waitingAtStop.add(index);
                }
            }
            assertThat(waitingAtStop).as("items not yet ended when the coordinator stops").isNotEmpty();
        }

        try (ConfigurableApplicationContext second = start()) {
            URI url = WholeCoordinator.url(second);
            JsonNode done = await().atMost(WAIT).until(() -> read(url, id, key),
                    batch -> !batch.path("status").asText().equals("running"));

            JobViews jobs = second.getBean(JobViews.class);

            long sum = 0;
            int completed = 0;
            for (int index = 0; index < ITEMS; index++) {
                JsonNode item = done.path("items").get(index);
                String status = item.path("status").asText();
                assertThat(status).as(item.toString()).isIn("completed", "failed");
                if (status.equals("failed")) {
                    assertThat(item.path("reason").asText()).as(item.toString()).isNotBlank();
                    continue;
                }
                completed++;
                long cost = item.path("cost_micro_credits").asLong();
                assertThat(cost).isPositive();
                String job = item.path("job_id").asText();
                await().atMost(WAIT).untilAsserted(() -> assertThat(jobs.find(job).orElseThrow()
                        .chargedMicroCredits()).as("item %s costs what its job settled", job).isEqualTo(cost));
                sum += cost;
            }
            assertThat(waitingAtStop).as("items unfinished at the stop were completed after the restart")
                    .anyMatch(index -> done.path("items").get(index).path("status").asText().equals("completed"));
            assertThat(done.path("completed").asInt()).isEqualTo(completed);
            assertThat(done.path("cost_micro_credits").asLong()).isEqualTo(sum);

            long spent = sum;
            AccountBalances balances = second.getBean(AccountBalances.class);
            await().atMost(WAIT).untilAsserted(() -> {
                AccountBalanceView balance = balances.find(account).orElseThrow();
                assertThat(balance.escrowMicroCredits()).isZero();
                assertThat(balance.availableMicroCredits()).isEqualTo(DEPOSIT - spent);
            });

            String stream = http.send(HttpRequest.newBuilder(url.resolve("/batches/" + id + "/events"))
                    .header("Authorization", "Bearer " + key).timeout(WAIT).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<String> types = new ArrayList<>();
            for (String block : stream.split("\n\n")) {
                types.add(block.lines().findFirst().orElseThrow().substring("event: ".length()));
            }
            assertThat(types).as("one end per item, then the batch's").endsWith(BatchProgressView.LAST);
            assertThat(types.stream().filter(type -> type.equals("item_completed") || type.equals("item_failed")))
                    .hasSize(ITEMS);
            assertThat(types.stream().filter(BatchProgressView.LAST::equals)).hasSize(1);
        }
    }

    private ConfigurableApplicationContext start() {
        // the jobs the stop interrupted are failed or placed again once silent this long after the restart
        return WholeCoordinator.withDemoIslands(dataDir, Map.of("archipelago.bridge.stall-timeout", "3s"));
    }

    private static void openAccount(ConfigurableApplicationContext coordinator, String account) {
        CommandGateway gateway = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        gateway.sendAndWait(new OpenAccount(new AccountId(account), Country.of("DE"), clock.instant()));
        gateway.sendAndWait(new DepositCredits(new AccountId(account), "deposit-" + account,
                MicroCredits.of(DEPOSIT), clock.instant()));
        AccountBalances balances = coordinator.getBean(AccountBalances.class);
        await().atMost(WAIT).until(() -> balances.find(account)
                .map(balance -> balance.availableMicroCredits() == DEPOSIT).orElse(false));
    }

    private String issueKey(URI url, String account) throws Exception {
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(url.resolve("/accounts/" + account + "/keys"))
                .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return json.readTree(issued.body()).path("key").asText();
    }

    private JsonNode read(URI url, String id, String key) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(url.resolve("/batches/" + id))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static long count(JsonNode batch, String status) {
        long count = 0;
        for (JsonNode item : batch.path("items")) {
            count += item.path("status").asText().equals(status) ? 1 : 0;
        }
        return count;
    }

    /** A batch of {@value #ITEMS} chat requests; input {@code i} says the word {@code word<i>}. */
    private static String batch() {
        StringBuilder inputs = new StringBuilder();
        for (int index = 0; index < ITEMS; index++) {
            inputs.append(index == 0 ? "" : ",").append("{\"messages\":[{\"role\":\"user\",\"content\":\"say word")
                    .append(index).append(" please\"}]}");
        }
        return "{\"model\":\"" + MODEL + "\",\"inputs\":[" + inputs + "]}";
    }
}

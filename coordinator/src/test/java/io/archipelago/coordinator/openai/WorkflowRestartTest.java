package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.account.AccountBalanceView;
import io.archipelago.projections.account.AccountBalances;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A coordinator that stops while the middle step of a chain runs and starts again on the same data: the workflow
 * resumes. The step the stop interrupted runs again on its input rendered from the first step's output, which only
 * the event store still holds, and the last step renders the second's; the workflow's cost is what its jobs settled.
 */
class WorkflowRestartTest {

    private static final String MODEL = "llm.chat.demo";
    private static final String OPERATOR = "test-operator";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long DEPOSIT = MicroCredits.credits(10).value();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void aWorkflowInterruptedByARestartResumesAndRendersWhatCompletedBefore() throws Exception {
        String account = "restarted-flower";
        String key;
        String id;
        try (ConfigurableApplicationContext first = start()) {
            URI url = WholeCoordinator.url(first);
            openAccount(first, account);
            key = issueKey(url, account);
            // the middle step hears over 200 words at the demo's 30 ms a token: it runs for seconds
            String chain = "{\"steps\":["
                    + "{\"key\":\"a\",\"model\":\"" + MODEL + "\",\"input\":\"alpha\"},"
                    + "{\"key\":\"b\",\"model\":\"" + MODEL + "\",\"depends_on\":[\"a\"],\"input\":{\"max_tokens\":300,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"start {{a.output.text}} "
                    + "word ".repeat(200).trim() + "\"}]}},"
                    + "{\"key\":\"c\",\"model\":\"" + MODEL + "\",\"depends_on\":[\"b\"],"
                    + "\"input\":\"after {{b.output.text}}\"}]}";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(url.resolve("/workflows"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(chain)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            id = json.readTree(created.body()).path("id").asText();
            JsonNode midway = await().atMost(WAIT).until(() -> read(url, id, key),
                    workflow -> workflow.path("steps").get(1).path("status").asText().equals("running"));
            assertThat(midway.path("status").asText()).isEqualTo("running");
            assertThat(midway.path("steps").get(0).path("status").asText()).isEqualTo("completed");
        }

        try (ConfigurableApplicationContext second = start()) {
            URI url = WholeCoordinator.url(second);
            JsonNode done = await().atMost(WAIT).until(() -> read(url, id, key),
                    workflow -> !workflow.path("status").asText().equals("running"));

            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
            JsonNode b = done.path("steps").get(1);
            assertThat(b.path("attempts").asInt()).as("the interrupted step ran again: %s", b).isGreaterThan(1);
            String bOutput = b.path("output").asText();
            assertThat(bOutput).as("b's retry rendered a's output from before the stop").contains(" alpha. ")
                    .endsWith(" start.");
            int bWords = bOutput.trim().split("\\s+").length;
            assertThat(done.path("steps").get(2).path("output").asText()).as("c rendered b's output")
                    .contains("heard " + (bWords + 1) + " words:");

            JdbcClient jdbc = second.getBean(JdbcClient.class);
            long charged = await().atMost(WAIT).until(() -> jdbc.sql("SELECT coalesce(sum(charged_micro_credits), 0) "
                    + "FROM job_view WHERE consumer = :account AND status IN ('COMPLETED', 'FAILED', 'EXPIRED', "
                    + "'CANCELLED', 'REJECTED')").param("account", account).query(Long.class).single(),
                    sum -> sum == done.path("cost_micro_credits").asLong());
            AccountBalances balances = second.getBean(AccountBalances.class);
            await().atMost(WAIT).untilAsserted(() -> {
                AccountBalanceView balance = balances.find(account).orElseThrow();
                assertThat(balance.escrowMicroCredits()).isZero();
                assertThat(balance.availableMicroCredits()).isEqualTo(DEPOSIT - charged);
            });
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
        return json.readTree(http.send(HttpRequest.newBuilder(url.resolve("/workflows/" + id))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}

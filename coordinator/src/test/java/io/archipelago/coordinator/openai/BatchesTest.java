package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Batches on a whole coordinator with its demo Islands on {@code llm.chat.demo} (Frankfurt DE and Amsterdam NL are in
 * the EU, the consumers' region; Zurich is not): items spread over Islands, results come back in input order, every
 * item is its own job whose settled cost adds up to what left the account, progress streams as server-sent events
 * live and replayed, another account sees nothing of it, malformed batches are refused before anything is placed,
 * and an item an Island failed is retried elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchesTest {

    private static final String MODEL = "llm.chat.demo";
    private static final String OPERATOR = "test-operator";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String EMBEDDINGS = "embeddings.minilm";
    private static final long DEPOSIT = MicroCredits.credits(10).value();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger accounts = new AtomicInteger();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");

    @BeforeAll
    void start(@TempDir Path dataDir) {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of());
        url = WholeCoordinator.url(coordinator);
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void itemsSpreadOverIslandsComeBackInInputOrderAndEachSettlesItsOwnCost() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);

        HttpResponse<String> created = post("/batches", key, batch(6));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode accepted = json.readTree(created.body());
        String id = accepted.path("id").asText();
        assertThat(created.headers().firstValue("Location")).contains("/batches/" + id);
        // the answer shows the batch as the read side has it: six demo items may all be done by then
        assertThat(accepted.path("status").asText()).isIn("running", "completed");
        assertThat(accepted.path("total").asInt()).isEqualTo(6);
        // subscribed while the batch runs: the stream replays what already happened, then follows it to its end
        CompletableFuture<HttpResponse<String>> live = http.sendAsync(get("/batches/" + id + "/events", key),
                HttpResponse.BodyHandlers.ofString());

        JsonNode done = awaitEnd(id, key);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("completed").asInt()).isEqualTo(6);
        Set<String> islands = new TreeSet<>();
        long sum = 0;
        JobViews jobs = coordinator.getBean(JobViews.class);
        for (int index = 0; index < 6; index++) {
            JsonNode item = done.path("items").get(index);
            String island = item.path("island").asText();
            islands.add(island);
            assertThat(item.path("status").asText()).isEqualTo("completed");
            assertThat(island).isIn("demo-frankfurt", "demo-amsterdam");
            long cost = item.path("cost_micro_credits").asLong();
            assertThat(cost).isPositive();
            String job = item.path("job_id").asText();
            await().atMost(WAIT).untilAsserted(() -> assertThat(jobs.find(job).map(JobView::chargedMicroCredits))
                    .as("the item's cost is what the exchange settled for its own job").contains(cost));
            sum += cost;
            String result = done.path("results").get(index).asText();
            assertThat(result).as("result %d", index).startsWith("[demo] Island " + island)
                    .contains(" word" + index + " ");
        }
        // the nearest Island has slots for four of them: the bids' Islands to avoid share them out instead
        assertThat(islands).as("items spread over the eligible Islands").hasSize(2);
        for (String island : islands) {
            assertThat(done.path("items").findValuesAsText("island").stream().filter(island::equals))
                    .as("items on %s", island).hasSize(3);
        }
        assertThat(done.path("cost_micro_credits").asLong()).isEqualTo(sum);
        long spent = sum;
        AccountBalances balances = coordinator.getBean(AccountBalances.class);
        await().atMost(WAIT).untilAsserted(() -> {
            AccountBalanceView balance = balances.find(account).orElseThrow();
            assertThat(balance.escrowMicroCredits()).isZero();
            assertThat(balance.availableMicroCredits()).isEqualTo(DEPOSIT - spent);
        });

        List<SseEvent> streamed = events(live.get(WAIT.toSeconds(), TimeUnit.SECONDS).body());
        List<SseEvent> replayed = events(send(get("/batches/" + id + "/events", key)).body());
        // the live stream may also carry the running items' tokens, which no read model keeps
        assertThat(streamed.stream().filter(event -> !event.type().equals("item_progress")).toList())
                .isEqualTo(replayed);
        assertThat(replayed).noneMatch(event -> event.type().equals("item_progress"));
        JsonNode results = json.readTree(send(get("/batches/" + id, key)).body()).path("results");
        for (int index = 0; index < 6; index++) {
            int item = index;
            String heard = streamed.stream().filter(event -> event.type().equals("item_progress")
                            && event.data().path("index").asInt() == item)
                    .map(event -> event.data().path("delta").asText()).collect(Collectors.joining());
            assertThat(results.get(item).asText()).as("what item %d streamed live begins its result", item)
                    .startsWith(heard);
        }
        assertThat(replayed.get(replayed.size() - 1).type()).isEqualTo("batch_completed");
        assertThat(replayed.get(replayed.size() - 1).data().path("cost_micro_credits").asLong()).isEqualTo(sum);
        for (int index = 0; index < 6; index++) {
            int item = index;
            assertThat(replayed).as("item %d started", item).anyMatch(event -> event.type().equals("item_started")
                    && event.data().path("index").asInt() == item);
            assertThat(replayed).as("item %d completed", item).anyMatch(event -> event.type()
                    .equals("item_completed") && event.data().path("index").asInt() == item
                    && event.data().path("cost_micro_credits").asLong() > 0);
        }

        String stranger = issueKey(openAccount(DEPOSIT));
        HttpResponse<String> notYours = send(get("/batches/" + id, stranger));
        assertThat(notYours.statusCode()).isEqualTo(404);
        assertThat(notYours.body()).doesNotContain("demo-").doesNotContain(id + "-0");
        HttpResponse<String> notYourEvents = send(get("/batches/" + id + "/events", stranger));
        assertThat(notYourEvents.statusCode()).isEqualTo(404);
        assertThat(notYourEvents.body()).doesNotContain("item_");
    }

    @Test
    void aFullBatchOfAHundredWaitsForFreeSlotsAndCompletesInOrder() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);

        // eight slots in the EU for a hundred items: most bids rest until a slot frees
        HttpResponse<String> created = post("/batches", key, batch(Batches.MAX_INPUTS));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode done = awaitEnd(json.readTree(created.body()).path("id").asText(), key);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("completed").asInt()).isEqualTo(Batches.MAX_INPUTS);
        for (int index = 0; index < Batches.MAX_INPUTS; index++) {
            assertThat(done.path("results").get(index).asText()).contains(" word" + index + " ");
        }
    }

    @Test
    void anEmbeddingsBatchGivesEachItemTheVectorsASingleRequestGives() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);
        MarketViews markets = coordinator.getBean(MarketViews.class);
        await().atMost(WAIT).until(() -> markets.find(EMBEDDINGS).map(market -> market.onlineAsks() > 0)
                .orElse(false));
        List<List<String>> texts = List.of(List.of("The capital of France is Paris."),
                List.of("Islands sell compute at their own price.", "A batch fans out over Islands."),
                List.of("Vectors come back in input order."));
        StringBuilder inputs = new StringBuilder();
        for (List<String> item : texts) {
            inputs.append(inputs.isEmpty() ? "" : ",").append("{\"input\":").append(json.writeValueAsString(item))
                    .append("}");
        }

        HttpResponse<String> created = post("/batches", key, "{\"model\":\"" + EMBEDDINGS + "\",\"inputs\":["
                + inputs + "]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode done = awaitEnd(json.readTree(created.body()).path("id").asText(), key);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        for (int item = 0; item < texts.size(); item++) {
            JsonNode data = done.path("results").get(item).path("data");
            assertThat(data).as("item %d", item).hasSize(texts.get(item).size());
            for (int text = 0; text < texts.get(item).size(); text++) {
                JsonNode single = json.readTree(post("/v1/embeddings", key, json.writeValueAsString(Map.of(
                        "model", EMBEDDINGS, "input", texts.get(item).get(text), "encoding_format", "float")))
                        .body()).path("data").get(0).path("embedding");
                JsonNode batched = data.get(text).path("embedding");
                assertThat(data.get(text).path("index").asInt()).isEqualTo(text);
                assertThat(batched).hasSize(384).hasSameSizeAs(single);
                for (int d = 0; d < single.size(); d++) {
                    assertThat(batched.get(d).doubleValue()).as("item %d, text %d, dimension %d", item, text, d)
                            .isCloseTo(single.get(d).doubleValue(), offset(1e-6));
                }
            }
        }

        // checked as /v1/embeddings checks a request, and small enough to keep in the batch's events
        assertProblem(post("/batches", key, "{\"model\":\"" + EMBEDDINGS + "\",\"inputs\":[{\"input\":"
                + json.writeValueAsString(Collections.nCopies(BatchController.MAX_ITEM_TEXTS + 1, "a text"))
                + "}]}"), 400, "invalid_input");
        assertProblem(post("/batches", key, "{\"model\":\"" + EMBEDDINGS + "\",\"inputs\":[{\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}]}"), 400, "invalid_input");
    }

    @Test
    void malformedOrUnaffordableBatchesAreRefusedBeforeAnythingIsPlaced() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);

        assertProblem(post("/batches", key, batch(101)), 400, "too_many_inputs");
        assertProblem(post("/batches", key, "{\"model\":\"" + MODEL + "\",\"inputs\":[]}"), 400, "empty_batch");
        assertProblem(post("/batches", key, "{\"model\":\"no.such.model\",\"inputs\":[{\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}]}"), 400, "unknown_model");
        assertProblem(post("/batches", key, "{\"model\":\"" + MODEL + "\",\"inputs\":[{\"messages\":[]}]}"), 400,
                "invalid_input");
        assertProblem(post("/batches", key, "{\"model\":"), 400, "invalid_json");
        // 5,000 per unit x 10 units x 3 inputs is 150,000 micro-credits; the poor account has 100,000
        String poor = openAccount(100_000);
        assertProblem(post("/batches", issueKey(poor), batch(3)), 402, "insufficient_credits");
        assertThat(post("/batches", null, batch(1)).statusCode()).isEqualTo(401);

        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        for (String refused : List.of(account, poor)) {
            assertThat(jdbc.sql("SELECT count(*) FROM batch_view WHERE account_id = :account").param("account", refused)
                    .query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM job_view WHERE consumer = :account")
                    .param("account", refused).query(Long.class).single()).isZero();
        }
        assertThat(coordinator.getBean(AccountBalances.class).find(poor).orElseThrow().escrowMicroCredits()).isZero();

        // the bid terms of a single request apply to every item: at most one unit each, the same batch fits
        HttpResponse<String> modest = http.send(HttpRequest.newBuilder(url.resolve("/batches"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + issueKey(poor))
                .header("X-Archipelago-Max-Units", "1").POST(HttpRequest.BodyPublishers.ofString(batch(3))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(modest.statusCode()).as(modest.body()).isEqualTo(202);
        JsonNode done = awaitEnd(json.readTree(modest.body()).path("id").asText(), issueKey(poor));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        JobViews jobs = coordinator.getBean(JobViews.class);
        for (JsonNode item : done.path("items")) {
            assertThat(item.path("units").asLong()).isEqualTo(1);
            await().atMost(WAIT).untilAsserted(() -> assertThat(jobs.find(item.path("job_id").asText())
                    .orElseThrow().maxUnits()).isEqualTo(1));
        }
    }

    @Test
    void anItemAnIslandFailedIsRetriedElsewhereAndCompletes() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);
        MarketViews markets = coordinator.getBean(MarketViews.class);
        try (ScriptedIsland rogue = new ScriptedIsland(url, OPERATOR, "rogue-rotterdam", "NL", MODEL, 500,
                ScriptedIsland.Script.FAIL_MID_ANSWER)) {
            await().atMost(WAIT).until(() -> markets.find(MODEL).map(market -> market.onlineAsks() == 4)
                    .orElse(false));

            HttpResponse<String> created = post("/batches", key, batch(6));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            String id = json.readTree(created.body()).path("id").asText();
            JsonNode done = awaitEnd(id, key);

            assertThat(rogue.jobs).as("the failing Island got items of the batch").isNotEmpty();
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
            List<Integer> retried = new ArrayList<>();
            long sum = 0;
            for (int index = 0; index < 6; index++) {
                JsonNode item = done.path("items").get(index);
                assertThat(item.path("status").asText()).isEqualTo("completed");
                assertThat(item.path("island").asText()).isNotEqualTo(rogue.islandId);
                assertThat(done.path("results").get(index).asText()).contains(" word" + index + " ")
                        .doesNotContain("half an answer");
                if (item.path("attempts").asInt() > 1) {
                    retried.add(index);
                    assertThat(item.path("failed_on").toString()).contains(rogue.islandId);
                }
                sum += item.path("cost_micro_credits").asLong();
            }
            assertThat(retried).hasSameSizeAs(rogue.jobs);
            List<SseEvent> progress = events(send(get("/batches/" + id + "/events", key)).body());
            for (int index : retried) {
                assertThat(progress).anyMatch(event -> event.type().equals("item_retried")
                        && event.data().path("index").asInt() == index
                        && event.data().path("island").asText().equals(rogue.islandId)
                        && event.data().path("reason").asText().contains("out of memory"));
            }
            // the failed attempts were refunded: only the completed ones cost anything
            long spent = sum;
            AccountBalances balances = coordinator.getBean(AccountBalances.class);
            await().atMost(WAIT).untilAsserted(() -> {
                AccountBalanceView balance = balances.find(account).orElseThrow();
                assertThat(balance.escrowMicroCredits()).isZero();
                assertThat(balance.availableMicroCredits()).isEqualTo(DEPOSIT - spent);
            });
        }
    }

    private JsonNode awaitEnd(String id, String key) {
        return await().atMost(WAIT).until(() -> json.readTree(send(get("/batches/" + id, key)).body()),
                batch -> !batch.path("status").asText().equals("running"));
    }

    /** A batch of {@code size} chat requests; input {@code i} says the word {@code word<i>}. */
    private String batch(int size) {
        StringBuilder inputs = new StringBuilder();
        for (int index = 0; index < size; index++) {
            inputs.append(index == 0 ? "" : ",").append("{\"messages\":[{\"role\":\"user\",\"content\":\"say word")
                    .append(index).append(" please\"}]}");
        }
        return "{\"model\":\"" + MODEL + "\",\"inputs\":[" + inputs + "]}";
    }

    private String openAccount(long microCredits) {
        String account = "batcher-" + accounts.incrementAndGet();
        CommandGateway gateway = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        gateway.sendAndWait(new OpenAccount(new AccountId(account), Country.of("DE"), clock.instant()));
        gateway.sendAndWait(new DepositCredits(new AccountId(account), "deposit-" + account,
                MicroCredits.of(microCredits), clock.instant()));
        AccountBalances balances = coordinator.getBean(AccountBalances.class);
        await().atMost(WAIT).until(() -> balances.find(account)
                .map(balance -> balance.availableMicroCredits() == microCredits).orElse(false));
        return account;
    }

    private String issueKey(String account) throws Exception {
        HttpResponse<String> issued = post("/accounts/" + account + "/keys", OPERATOR, "");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return json.readTree(issued.body()).path("key").asText();
    }

    private void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    private HttpResponse<String> post(String path, @Nullable String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest get(String path, String key) {
        return HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + key)
                .timeout(WAIT).GET().build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Server-sent events, each {@code event: <type>}, {@code data: <one-line JSON>} and a blank line. */
    private List<SseEvent> events(String stream) throws Exception {
        List<SseEvent> events = new ArrayList<>();
        String[] blocks = stream.split("\n\n", -1);
        assertThat(blocks[blocks.length - 1]).isEmpty();
        for (int i = 0; i < blocks.length - 1; i++) {
            String[] lines = blocks[i].split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: {");
            events.add(new SseEvent(lines[0].substring("event: ".length()),
                    json.readTree(lines[1].substring("data: ".length()))));
        }
        return events;
    }

    private record SseEvent(String type, JsonNode data) {
    }
}

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
import io.archipelago.projections.job.JobStatus;
import io.archipelago.projections.job.JobView;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Workflows on a whole coordinator with its demo Islands on {@code llm.chat.demo} (a deterministic text generator
 * that answers with the words it heard, reversed): a diamond whose two branches run side by side on different Islands
 * and whose join's input is rendered from both branches' outputs, each step its own job whose cost adds up to what
 * left the account; progress as server-sent events; DAGs that cannot run refused with the rule and the step; cancel;
 * saved templates run by name with parameters, a retried run with its Idempotency-Key getting the same workflow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowsTest {

    private static final String MODEL = "llm.chat.demo";
    private static final String OPERATOR = "test-operator";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long DEPOSIT = MicroCredits.credits(10).value();
    private static final String DIAMOND = """
            {"fail_mode": "fail_fast", "max_units": 1, "steps": [
              {"key": "a", "model": "llm.chat.demo", "input": "alpha"},
              {"key": "b", "model": "llm.chat.demo", "depends_on": ["a"],
               "input_mapping": {"messages": [{"role": "user", "content": "left {{a.output.text}}"}]}},
              {"key": "c", "model": "llm.chat.demo", "depends_on": ["a"], "input": "right {{ a.output.text }}"},
              {"key": "d", "model": "llm.chat.demo", "depends_on": ["b", "c"], "input_mapping": {"max_tokens": 100,
               "messages": [{"role": "user", "content": "{{b.output.text}} JOIN {{c.output.text}}"}]}}]}""";

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
    void aDiamondRunsItsBranchesSideBySideAndRendersTheJoinFromBothOutputs() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);

        HttpResponse<String> created = post("/workflows", key, DIAMOND, null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = json.readTree(created.body()).path("id").asText();
        assertThat(created.headers().firstValue("Location")).contains("/workflows/" + id);
        CompletableFuture<HttpResponse<String>> live = http.sendAsync(get("/workflows/" + id + "/events", key),
                HttpResponse.BodyHandlers.ofString());

        JsonNode done = awaitEnd(id, key);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        JsonNode steps = done.path("steps");
        for (JsonNode step : steps) {
            assertThat(step.path("status").asText()).isEqualTo("completed");
            assertThat(step.path("cost_micro_credits").asLong()).isPositive();
        }
        String a = steps.get(0).path("output").asText();
        String b = steps.get(1).path("output").asText();
        String c = steps.get(2).path("output").asText();
        String d = steps.get(3).path("output").asText();
        assertThat(a).startsWith("[demo] Island ").endsWith(" alpha.");
        assertThat(b).as("b heard 'left' and a's output").contains("heard 8 words:").endsWith(" left.");
        assertThat(c).as("c heard 'right' and a's output").contains("heard 8 words:").endsWith(" right.");
        // d heard b's 14 words, JOIN and c's 14 words: its input was rendered from both parents' outputs
        assertThat(d).contains("heard 29 words:").contains(" left.").contains(" JOIN ").contains(" right.");
        assertThat(steps.get(1).path("island").asText()).as("the branches ran side by side on different Islands")
                .isNotEqualTo(steps.get(2).path("island").asText());
        assertThat(done.path("result").path("d").asText()).isEqualTo(d);
        assertThat(done.path("result").has("a")).isFalse();

        long sum = 0;
        JobViews jobs = coordinator.getBean(JobViews.class);
        for (JsonNode step : steps) {
            long cost = step.path("cost_micro_credits").asLong();
            await().atMost(WAIT).untilAsserted(() -> assertThat(jobs.find(step.path("job_id").asText())
                    .map(JobView::chargedMicroCredits)).as("the step's cost is what its own job settled")
                    .contains(cost));
            sum += cost;
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
        List<SseEvent> replayed = events(send(get("/workflows/" + id + "/events", key)).body());
        // the live stream also carried the running steps' tokens, which no read model keeps
        assertThat(streamed.stream().filter(event -> !event.type().equals("step_progress")).toList())
                .isEqualTo(replayed);
        assertThat(replayed).noneMatch(event -> event.type().equals("step_progress"));
        assertThat(streamed).as("d streams ~35 tokens, a second or so: some reach the live stream")
                .anyMatch(event -> event.type().equals("step_progress"));
        for (JsonNode step : steps) {
            String stepKey = step.path("key").asText();
            String job = step.path("job_id").asText();
            StringBuilder heard = new StringBuilder();
            long seq = -1;
            for (int i = 0; i < streamed.size(); i++) {
                SseEvent event = streamed.get(i);
                if (event.type().equals("step_progress") && event.data().path("job_id").asText().equals(job)) {
                    assertThat(event.data().path("step").asText()).isEqualTo(stepKey);
                    assertThat(event.data().path("seq").asLong()).as("in order, once each").isGreaterThan(seq);
                    seq = event.data().path("seq").asLong();
                    heard.append(event.data().path("delta").asText());
                    assertThat(i).as("between %s's start and its end", stepKey)
                            .isGreaterThan(indexOf(streamed, "step_started", stepKey))
                            .isLessThan(indexOf(streamed, "step_completed", stepKey));
                }
            }
            assertThat(step.path("output").asText()).as("what %s streamed live begins its output", stepKey)
                    .startsWith(heard.toString());
        }
        assertThat(replayed.get(replayed.size() - 1).type()).isEqualTo("workflow_completed");
        for (String step : List.of("a", "b", "c", "d")) {
            assertThat(replayed).as("%s started", step).anyMatch(event -> event.type().equals("step_started")
                    && event.data().path("step").asText().equals(step));
            assertThat(replayed).as("%s completed", step).anyMatch(event -> event.type().equals("step_completed")
                    && event.data().path("step").asText().equals(step));
        }
        int dStarted = indexOf(replayed, "step_started", "d");
        assertThat(indexOf(replayed, "step_completed", "b")).isLessThan(dStarted);
        assertThat(indexOf(replayed, "step_completed", "c")).isLessThan(dStarted);

        String stranger = issueKey(openAccount(DEPOSIT));
        HttpResponse<String> notYours = send(get("/workflows/" + id, stranger));
        assertThat(notYours.statusCode()).isEqualTo(404);
        assertThat(notYours.body()).doesNotContain("demo-");
        assertThat(send(get("/workflows/" + id + "/events", stranger)).statusCode()).isEqualTo(404);
        assertThat(post("/workflows/" + id + "/cancel", stranger, "", null).statusCode()).isEqualTo(404);
    }

    @Test
    void dagsThatCannotRunAreRefusedSayingWhichStepAndWhyBeforeAnythingIsPlaced() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);

        assertProblem(post("/workflows", key, steps(step("a", "[\"z\"]", "hi")), null), 400, "unknown_step", "'z'");
        assertProblem(post("/workflows", key, steps(step("a", "[\"b\"]", "hi"), step("b", "[\"a\"]", "hi")), null),
                400, "cycle", "a -> b -> a");
        assertProblem(post("/workflows", key, steps(step("a", "[]", "hi"), step("b", "[]", "{{a.output.text}}")),
                null), 400, "template_not_a_dependency", "'b'");
        assertProblem(post("/workflows", key, steps(step("a", "[]", "hi"), step("a", "[]", "hi")), null), 400,
                "duplicate_key", "'a'");
        assertProblem(post("/workflows", key, steps(step("a", "[]", "{{input.topic}}")), null), 400,
                "unknown_parameter", "topic");
        assertProblem(post("/workflows", key, "{\"steps\":[{\"key\":\"e\",\"model\":\"embeddings.minilm\","
                + "\"input\":\"hi\"}]}", null), 400, "type_mismatch", "'e'");
        assertProblem(post("/workflows", key, "{\"steps\":[{\"key\":\"a\",\"model\":\"no.such\",\"input\":\"hi\"}]}",
                null), 400, "unknown_model", "no.such");
        assertProblem(post("/workflows", key, "{\"steps\":[]}", null), 400, "empty_workflow", "steps");
        assertProblem(post("/workflows", key, "{\"steps\":", null), 400, "invalid_json", "JSON");
        assertProblem(post("/workflows", key, "{\"fail_mode\":\"sometimes\"," + steps(step("a", "[]", "hi"))
                .substring(1), null), 400, "invalid_fail_mode", "sometimes");
        // ten steps at the highest limit and the most units: a worst case beyond a 64-bit amount
        String[] huge = new String[10];
        for (int i = 0; i < huge.length; i++) {
            huge[i] = step("s" + i, "[]", "hi");
        }
        assertProblem(post("/workflows", key, "{\"limit_micro_credits\":1000000000,\"max_units\":1000000000,"
                + steps(huge).substring(1), null), 400, "invalid_bid_terms", "overflow");
        // 5,000 per unit x 10 units x 4 steps is 200,000 micro-credits; the poor account has 100,000
        String poor = openAccount(100_000);
        assertProblem(post("/workflows", issueKey(poor), DIAMOND.replace("\"max_units\": 1, ", ""), null), 402,
                "insufficient_credits", "200000");
        assertThat(post("/workflows", null, DIAMOND, null).statusCode()).isEqualTo(401);

        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        for (String refused : List.of(account, poor)) {
            assertThat(jdbc.sql("SELECT count(*) FROM workflow_view WHERE account_id = :account")
                    .param("account", refused).query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM job_view WHERE consumer = :account")
                    .param("account", refused).query(Long.class).single()).isZero();
        }
    }

    @Test
    void cancelStopsTheRunningStepAndReleasesWhatIsLeft() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);
        // 300 words at the demo's 30 ms a token: the first step runs for seconds
        String words = "word ".repeat(300).trim();
        HttpResponse<String> created = post("/workflows", key, "{\"steps\":["
                + "{\"key\":\"slow\",\"model\":\"" + MODEL + "\",\"input\":{\"max_tokens\":400,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"" + words + "\"}]}},"
                + "{\"key\":\"next\",\"model\":\"" + MODEL + "\",\"depends_on\":[\"slow\"],"
                + "\"input\":\"after {{slow.output.text}}\"}]}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = json.readTree(created.body()).path("id").asText();
        await().atMost(WAIT).until(() -> json.readTree(send(get("/workflows/" + id, key)).body())
                .path("steps").get(0).path("status").asText().equals("running"));

        HttpResponse<String> cancelled = post("/workflows/" + id + "/cancel", key, "", null);

        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        JsonNode done = json.readTree(cancelled.body());
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("cancelled");
        assertThat(done.path("steps").findValuesAsText("status")).containsExactly("cancelled", "cancelled");
        String job = done.path("steps").get(0).path("job_id").asText();
        JobViews jobs = coordinator.getBean(JobViews.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(jobs.find(job).orElseThrow().status())
                .isEqualTo(JobStatus.CANCELLED));
        AccountBalances balances = coordinator.getBean(AccountBalances.class);
        await().atMost(WAIT).untilAsserted(() -> {
            AccountBalanceView balance = balances.find(account).orElseThrow();
            assertThat(balance.escrowMicroCredits()).as("nothing is left in escrow").isZero();
            assertThat(balance.availableMicroCredits()).isEqualTo(DEPOSIT);
        });
        List<SseEvent> progress = events(send(get("/workflows/" + id + "/events", key)).body());
        assertThat(progress).filteredOn(event -> event.type().equals("step_cancelled")).hasSize(2);
        assertThat(progress.get(progress.size() - 1).data().path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void theWorstCaseIsHeldAtSubmissionSoWhatElseTheAccountSpendsCannotStarveTheSteps() throws Exception {
        // two steps at 5,000 per unit x 10 units: a worst case of 100,000 held out of 120,000
        String account = openAccount(120_000);
        String key = issueKey(account);
        String words = "word ".repeat(150).trim();
        HttpResponse<String> created = post("/workflows", key, "{\"limit_micro_credits\":5000,\"max_units\":10,"
                + "\"steps\":[{\"key\":\"slow\",\"model\":\"" + MODEL + "\",\"input\":\"" + words + "\"},"
                + "{\"key\":\"next\",\"model\":\"" + MODEL + "\",\"depends_on\":[\"slow\"],"
                + "\"input\":\"after {{slow.output.text}}\"}]}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = json.readTree(created.body()).path("id").asText();
        AccountBalances balances = coordinator.getBean(AccountBalances.class);
        await().atMost(WAIT).untilAsserted(() -> {
            AccountBalanceView balance = balances.find(account).orElseThrow();
            assertThat(balance.availableMicroCredits()).as("the worst case left available at once").isEqualTo(20_000);
            assertThat(balance.escrowMicroCredits()).isEqualTo(100_000);
        });

        HttpResponse<String> other = http.send(HttpRequest.newBuilder(url.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("X-Archipelago-Limit", "5000").header("X-Archipelago-Max-Units", "10")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"hello\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).as("what the workflow holds cannot be spent elsewhere: " + other.body())
                .isEqualTo(402);

        JsonNode done = awaitEnd(id, key);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        long cost = done.path("cost_micro_credits").asLong();
        assertThat(cost).isPositive().isLessThan(100_000);
        await().atMost(WAIT).untilAsserted(() -> {
            AccountBalanceView balance = balances.find(account).orElseThrow();
            assertThat(balance.escrowMicroCredits()).as("the hold's rest went back at the end").isZero();
            assertThat(balance.availableMicroCredits()).isEqualTo(120_000 - cost);
        });
    }

    @Test
    void aSavedTemplateRunsByNameWithItsParametersAndARetriedRunIsTheSameWorkflow() throws Exception {
        String account = openAccount(DEPOSIT);
        String key = issueKey(account);
        String template = "{\"name\":\"two-steps\",\"parameters\":{\"topic\":null,\"tone\":\"calm\"},\"max_units\":1,"
                + "\"steps\":[{\"key\":\"first\",\"model\":\"" + MODEL + "\",\"input\":\"{{input.tone}} "
                + "{{input.topic}}\"},{\"key\":\"second\",\"model\":\"" + MODEL + "\",\"depends_on\":[\"first\"],"
                + "\"input\":\"on {{first.output.text}}\"}]}";

        HttpResponse<String> saved = post("/workflow-templates", key, template, null);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        assertProblem(post("/workflow-templates", key, template, null), 409, "template_exists", "two-steps");
        JsonNode listed = json.readTree(send(get("/workflow-templates", key)).body()).path("data");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("name").asText()).isEqualTo("two-steps");
        assertThat(listed.get(0).path("parameters").path("tone").asText()).isEqualTo("calm");
        assertProblem(post("/workflow-templates/two-steps/runs", key, "{}", null), 400, "missing_parameter",
                "topic");
        assertProblem(post("/workflow-templates/two-steps/runs", key, "{\"parameters\":{\"topic\":\"x\","
                + "\"mood\":\"y\"}}", null), 400, "unknown_parameter", "mood");

        String run = "{\"parameters\":{\"topic\":\"tides\"}}";
        HttpResponse<String> first = post("/workflow-templates/two-steps/runs", key, run, "run-1");
        HttpResponse<String> again = post("/workflow-templates/two-steps/runs", key, run, "run-1");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        String id = json.readTree(first.body()).path("id").asText();
        assertThat(json.readTree(again.body()).path("id").asText()).isEqualTo(id);
        JsonNode done = awaitEnd(id, key);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("outputs").path("first").asText()).endsWith(" tides calm.");
        assertThat(done.path("result").path("second").asText()).contains(" tides ").endsWith(" on.");
        assertThat(coordinator.getBean(JdbcClient.class).sql("SELECT count(*) FROM workflow_view WHERE account_id = "
                + ":account").param("account", account).query(Long.class).single()).isEqualTo(1);

        String stranger = issueKey(openAccount(DEPOSIT));
        assertThat(send(get("/workflow-templates/two-steps", stranger)).statusCode()).isEqualTo(404);
        assertThat(post("/workflow-templates/two-steps/runs", stranger, run, null).statusCode()).isEqualTo(404);
    }

    private static int indexOf(List<SseEvent> events, String type, String step) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type().equals(type) && events.get(i).data().path("step").asText().equals(step)) {
                return i;
            }
        }
        return -1;
    }

    private static String steps(String... steps) {
        return "{\"steps\":[" + String.join(",", steps) + "]}";
    }

    private static String step(String key, String dependsOn, String input) {
        return "{\"key\":\"" + key + "\",\"model\":\"" + MODEL + "\",\"depends_on\":" + dependsOn + ",\"input\":\""
                + input + "\"}";
    }

    private JsonNode awaitEnd(String id, String key) {
        return await().atMost(WAIT).until(() -> json.readTree(send(get("/workflows/" + id, key)).body()),
                workflow -> !workflow.path("status").asText().equals("running"));
    }

    private String openAccount(long microCredits) {
        String account = "flower-" + accounts.incrementAndGet();
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
        HttpResponse<String> issued = post("/accounts/" + account + "/keys", OPERATOR, "", null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return json.readTree(issued.body()).path("key").asText();
    }

    private void assertProblem(HttpResponse<String> response, int status, String code, String saying)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(problem.path("detail").asText()).contains(saying);
    }

    private HttpResponse<String> post(String path, @Nullable String key, String body, @Nullable String idempotency)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (idempotency != null) {
            request.header("Idempotency-Key", idempotency);
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
            events.add(new SseEvent(lines[0].substring("event: ".length()),
                    json.readTree(lines[1].substring("data: ".length()))));
        }
        return events;
    }

    private record SseEvent(String type, JsonNode data) {
    }
}

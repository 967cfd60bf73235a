package io.archipelago.coordinator.openai;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.access.TestCredentials;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.job.JobView;
import io.archipelago.projections.job.JobViews;
import io.archipelago.projections.market.MarketViews;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Prints the scheduling overhead of a workflow: a DAG of {@value #STEPS} chat steps with a fan-out of five
 * ({@code a → b1..b5 → c → d1, d2 → e}, the joins' inputs rendered from their parents' outputs) on
 * {@value #ISLANDS} Islands whose demo runtime streams a token every {@value #TOKEN_PAUSE_MS} ms (a test double for a
 * host's model server). Per workflow, the time from its submission to the {@code workflow_completed} event on its
 * stream, beside its steps' own times (each step's job from placement to completion, from the read models): their
 * sum, their maximum, and the DAG's critical path (the longest chain of step times), whose difference to the whole
 * time is what scheduling added. Sequential workflows after a warm-up; nothing asserted.
 * Run: {@code scripts/bench-workflows.sh}.
 */
class WorkflowOverheadBenchmark {

    private static final String MODEL = "llm.chat.bench";
    private static final AccountId CONSUMER = new AccountId("workflow-bench");
    private static final int STEPS = 10;
    private static final int ISLANDS = 6;
    private static final int SLOTS = 2;
    private static final int TOKEN_PAUSE_MS = 5;
    private static final int WARM_UP = Integer.getInteger("bench.warmup", 3);
    private static final int MEASURED = Integer.getInteger("bench.workflows", 20);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final List<String> FAN_OUT = List.of("b1", "b2", "b3", "b4", "b5");
    private static final List<String> FAN_IN = List.of("d1", "d2");
    /** The DAG's depth: a, the b's, c, the d's, e. */
    private static final int LEVELS = 5;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void printsTheTimeToAMergedResultBesideTheStepsOwnTimes() throws Exception {
        Map<String, Object> properties = new HashMap<>();
        properties.put("archipelago.security.rate-limit.requests-per-second", 10_000);
        properties.put("archipelago.security.rate-limit.burst", 10_000);
        properties.put("logging.level.io.archipelago", "WARN");
        try (ConfigurableApplicationContext coordinator = WholeCoordinator.start(dataDir, properties)) {
            URI url = WholeCoordinator.url(coordinator);
            openMarket(coordinator);
            List<IslandAgent> islands = new ArrayList<>();
            try {
                for (int i = 0; i < ISLANDS; i++) {
                    islands.add(IslandAgent.start(new AgentSettings("bench-" + i, "host-bench-" + i, "DE",
                            Map.of(MODEL, 1_000L), SLOTS, List.of(), url, null, "demo", null, null,
                            Duration.ofMillis(TOKEN_PAUSE_MS)).withKey(TestCredentials.OPERATOR_TOKEN)));
                }
                MarketViews markets = coordinator.getBean(MarketViews.class);
                await().atMost(WAIT).until(() -> markets.find(MODEL)
                        .map(market -> market.onlineAsks() == ISLANDS).orElse(false));
                run(coordinator, url, issueKey(url));
            } finally {
                islands.forEach(IslandAgent::close);
            }
        }
    }

    private void run(ConfigurableApplicationContext coordinator, URI url, String key) throws Exception {
        JobViews jobs = coordinator.getBean(JobViews.class);
        double[] load = new double[] {loadAverage(), 0};
        List<long[]> measured = new ArrayList<>();
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            long[] figures = oneWorkflow(url, key, jobs);
            if (i >= WARM_UP) {
                measured.add(figures);
            }
        }
        load[1] = loadAverage();
        System.out.printf("workflow of %d steps, fan-out %d, %d Islands x %d slots, token pause %d ms; %d workflows "
                + "after %d warm-up, load average %.2f -> %.2f%n", STEPS, FAN_OUT.size(), ISLANDS, SLOTS,
                TOKEN_PAUSE_MS, MEASURED, WARM_UP, load[0], load[1]);
        String[] names = {"submission -> merged result", "sum of step times", "max of step times",
            "critical path of step times", "overhead (whole - critical path)", "overhead per level (5 levels)",
            "step: last parent done -> its bid", "step: bid -> placed", "step: placed -> first token"};
        for (int column = 0; column < names.length; column++) {
            int index = column;
            long[] sample = measured.stream().mapToLong(figures -> figures[index]).toArray();
            System.out.printf("workflow %-34s %s%n", names[column], quantiles(sample));
        }
    }

    /**
     * One workflow, in µs: its whole time; the sum, maximum and critical path of its steps' times; the overhead, whole
     * and per level; and per step on average, the hops of its scheduling.
     */
    private long[] oneWorkflow(URI url, String key, JobViews jobs) throws Exception {
        long submitted = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(url.resolve("/workflows"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(workflow())).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 202) {
            throw new IllegalStateException("workflow refused: " + created.statusCode() + " " + created.body());
        }
        String id = json.readTree(created.body()).path("id").asText();
        CompletableFuture<HttpResponse<Stream<String>>> events = http.sendAsync(HttpRequest.newBuilder(
                url.resolve("/workflows/" + id + "/events")).header("Authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        long ended;
        try (Stream<String> lines = events.get(WAIT.toSeconds(), TimeUnit.SECONDS).body()) {
            if (lines.noneMatch(line -> line.startsWith("event:") && line.contains("workflow_"))) {
                throw new IllegalStateException("workflow " + id + " stream closed before its end");
            }
            ended = System.nanoTime();
        }
        JsonNode done = json.readTree(http.send(HttpRequest.newBuilder(url.resolve("/workflows/" + id))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        if (!done.path("status").asText().equals("completed")) {
            throw new IllegalStateException("workflow " + id + " ended " + done);
        }
        Map<String, Long> stepMicros = new HashMap<>();
        Map<String, JobView> views = new HashMap<>();
        Map<String, List<String>> parents = new HashMap<>();
        for (JsonNode step : done.path("steps")) {
            String jobId = step.path("job_id").asText();
            JobView job = await().atMost(WAIT).until(() -> jobs.find(jobId).orElse(null),
                    view -> view != null && view.finishedAt() != null && view.placedAt() != null
                            && view.startedAt() != null);
            String stepKey = step.path("key").asText();
            stepMicros.put(stepKey, micros(job.placedAt(), job.finishedAt()));
            views.put(stepKey, job);
            List<String> dependsOn = new ArrayList<>();
            step.path("depends_on").forEach(parent -> dependsOn.add(parent.asText()));
            parents.put(stepKey, dependsOn);
        }
        // on the domain's clock: the last parent's completion to the child's bid, the bid to its placement, the
        // placement to the first token; averaged over the workflow's steps
        long toBid = 0;
        long toPlaced = 0;
        long toFirstToken = 0;
        int children = 0;
        for (Map.Entry<String, JobView> step : views.entrySet()) {
            JobView job = step.getValue();
            toPlaced += micros(job.submittedAt(), job.placedAt());
            toFirstToken += micros(job.placedAt(), job.startedAt());
            List<String> dependsOn = parents.get(step.getKey());
            if (!dependsOn.isEmpty()) {
                Instant lastParent = dependsOn.stream().map(parent -> views.get(parent).finishedAt())
                        .max(Comparator.naturalOrder()).orElseThrow();
                toBid += micros(lastParent, job.submittedAt());
                children++;
            }
        }
        long whole = (ended - submitted) / 1_000;
        long sum = stepMicros.values().stream().mapToLong(Long::longValue).sum();
        long max = stepMicros.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long critical = stepMicros.get("a") + FAN_OUT.stream().mapToLong(stepMicros::get).max().orElse(0)
                + stepMicros.get("c") + FAN_IN.stream().mapToLong(stepMicros::get).max().orElse(0)
                + stepMicros.get("e");
        return new long[] {whole, sum, max, critical, whole - critical, (whole - critical) / LEVELS,
            toBid / children, toPlaced / views.size(), toFirstToken / views.size()};
    }

    private static long micros(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1_000;
    }

    private static String workflow() {
        StringBuilder steps = new StringBuilder("{\"fail_mode\": \"fail_fast\", \"max_units\": 1, \"steps\": [")
                .append(step("a", List.of(), "\"input\": \"plan five short answers\""));
        for (String branch : FAN_OUT) {
            steps.append(',').append(step(branch, List.of("a"), "\"input\": \"" + branch + " {{a.output.text}}\""));
        }
        steps.append(',').append(step("c", FAN_OUT, "\"input\": \"merge " + String.join(" ", FAN_OUT.stream()
                .map(branch -> "{{" + branch + ".output.text}}").toList()) + "\""));
        for (String branch : FAN_IN) {
            steps.append(',').append(step(branch, List.of("c"), "\"input\": \"" + branch + " {{c.output.text}}\""));
        }
        steps.append(',').append(step("e", FAN_IN, "\"input\": \"final {{d1.output.text}} {{d2.output.text}}\""));
        return steps.append("]}").toString();
    }

    private static String step(String key, List<String> dependsOn, String input) {
        String parents = String.join(",", dependsOn.stream().map(parent -> "\"" + parent + "\"").toList());
        return "{\"key\": \"" + key + "\", \"model\": \"" + MODEL + "\", \"depends_on\": [" + parents + "], " + input
                + "}";
    }

    private static void openMarket(ConfigurableApplicationContext coordinator) {
        CommandGateway commands = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        commands.sendAndWait(new RegisterCargo(new CargoType(MODEL), CargoUnit.THOUSAND_TOKENS,
                new AccountId("publisher-1"), PricePerUnit.of(10), clock.instant()));
        commands.sendAndWait(new OpenAccount(CONSUMER, Country.of("DE"), clock.instant()));
        commands.sendAndWait(new DepositCredits(CONSUMER, "deposit-1", MicroCredits.credits(1_000_000),
                clock.instant()));
    }

    private String issueKey(URI url) throws Exception {
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(
                        url.resolve("/accounts/" + CONSUMER.value() + "/keys"))
                .header("Authorization", "Bearer " + TestCredentials.OPERATOR_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (issued.statusCode() != 201) {
            throw new IllegalStateException("no key: " + issued.statusCode() + " " + issued.body());
        }
        return json.readTree(issued.body()).path("key").asText();
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException unreadable) {
            return Double.NaN;
        }
    }

    private static String quantiles(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return String.format("p50 %9.1f ms  p90 %9.1f ms  max %9.1f ms", rank(sorted, 0.5) / 1e3,
                rank(sorted, 0.9) / 1e3, sorted[sorted.length - 1] / 1e3);
    }

    private static long rank(long[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * quantile) - 1)];
    }
}

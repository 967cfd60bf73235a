package io.archipelago.coordinator.gateway;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.access.TestCredentials;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.coordinator.WholeCoordinator;
import io.archipelago.coordinator.cache.InferenceCache;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.market.MarketViews;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

/**
 * What a cache hit saves the consumer in time, beside its anchor in the same run: the same kind of request answered
 * live by an Island. Closed loop, one request at a time, over {@code POST /v1/chat/completions}: first {@code N}
 * deterministic requests are answered live and kept (opted into the semantic tier); then, interleaved round by round,
 * a live answer (a new prompt, {@code X-Archipelago-Cache: bypass}), an exact hit (a kept prompt asked again) and a
 * semantic near-duplicate (a paraphrase of a kept prompt, from the labelled pairs of {@code semantic-pairs.tsv}),
 * each whole and streamed. Whole requests are timed to the end of the body, streamed ones to the first content delta.
 * A request is timed under what the response's {@code X-Archipelago-Cache} says it was, so a paraphrase the guards
 * turn away counts as a miss, not as a slow hit. The Islands' demo runtime answers without a pause: a test double for
 * a host's model server, so the live anchor is the fastest a live answer can be here (a real model adds its own
 * seconds). Prints quantiles; asserts nothing. Run: {@code scripts/bench-cache.sh}. System property
 * {@code bench.requests}: rounds of each kind (default 200).
 */
class CacheHitBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.requests", 200);
    private static final String MODEL = "llm.chat.fast";
    private static final AccountId CONSUMER = new AccountId("bench-consumer");
    private static final Duration KEPT = Duration.ofSeconds(60);
    private static final String WARM_UP = "warm-up";
    private static final double NEW_SHARE = 0.5;
    private static final double REPEAT_SHARE = 0.3;
    private static final double PARAPHRASE_SHARE = 0.2;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, List<Long>> micros = new TreeMap<>();
    private final Map<String, Map<String, Integer>> outcomes = new TreeMap<>();

    @TempDir
    Path dataDir;

    @Test
    void printsTheTimeOfACacheHitBesideALiveAnswer() throws Exception {
        try (ConfigurableApplicationContext coordinator = WholeCoordinator.start(dataDir, Map.of(
                "archipelago.security.rate-limit.requests-per-second", 10_000,
                "archipelago.security.rate-limit.burst", 10_000,
                "logging.level.io.archipelago", "WARN"))) {
            URI url = WholeCoordinator.url(coordinator);
            openMarket(coordinator);
            List<IslandAgent> islands = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    islands.add(IslandAgent.start(new AgentSettings("fast-" + i, "host-fast-" + i, "DE",
                            Map.of(MODEL, 1_000L), 64, List.of(), url, null, "demo", null, null,
                            Duration.ZERO).withKey(TestCredentials.OPERATOR_TOKEN)));
                }
                MarketViews markets = coordinator.getBean(MarketViews.class);
                await().atMost(KEPT).until(() -> markets.find(MODEL)
                        .map(market -> market.onlineAsks() == 2).orElse(false));
                run(url, issueKey(url, CONSUMER), coordinator);
            } finally {
                islands.forEach(IslandAgent::close);
            }
        }
    }

    private void run(URI url, String key, ConfigurableApplicationContext coordinator) throws Exception {
        List<String[]> pairs = paraphrases(ROUNDS);
        for (int i = 0; i < 20; i++) {
            whole(url, key, WARM_UP, request("warm up number " + i, "bypass"));
        }
        for (String[] pair : pairs) {
            whole(url, key, "miss", request(pair[0], "semantic"));
        }
        // a first prompt that is itself a near-duplicate of an earlier one is answered from the cache, not kept
        int kept = outcomes.get("whole miss").getOrDefault("miss", 0);
        await().atMost(KEPT).until(() -> json.readTree(send(url, key, "GET", "/cache/stats", null).body())
                .path("entries").asLong() >= kept);
        for (int i = 0; i < pairs.size(); i++) {
            String[] pair = pairs.get(i);
            whole(url, key, "bypass", request("a question never asked before, number " + i, "bypass"));
            whole(url, key, "exact", request(pair[0], "semantic"));
            whole(url, key, "semantic", request(pair[1], "semantic"));
            streamed(url, key, "bypass", request("a streamed question never asked before, number " + i, "bypass"));
            streamed(url, key, "exact", request(pair[0], "semantic"));
            streamed(url, key, "semantic", request(pair[1], "semantic"));
        }
        // the cache's own share, in process, and the door's floor: an authenticated GET of one model's JSON
        InferenceCache cache = coordinator.getBean(InferenceCache.class);
        String version = coordinator.getBean(MarketViews.class).find(MODEL).orElseThrow().openedAt().toString();
        for (String[] pair : pairs) {
            lookup(cache, version, "exact", request(pair[0], "semantic"));
            lookup(cache, version, "semantic", request(pair[1], "semantic"));
            long start = System.nanoTime();
            HttpResponse<String> model = send(url, key, "GET", "/v1/models/" + MODEL, null);
            record("door floor, GET /v1/models/{id} ok", model.statusCode(), Optional.of("ok"),
                    (System.nanoTime() - start) / 1_000);
        }
        workload(url, coordinator, pairs);
        System.out.printf("cache: %d rounds, one request at a time; Islands answer without a pause (test double);"
                + " bypass = answered live (the anchor), miss = answered live and kept%n", pairs.size());
        micros.forEach((kind, sample) -> System.out.printf("cache %-28s %s%n", kind + ":",
                Quantiles.of(sample.stream().mapToLong(Long::longValue).toArray()).millis()));
        outcomes.forEach((kind, counts) -> System.out.printf("cache outcomes of %-20s %s%n", kind + ":", counts));
    }

    private ObjectNode request(String prompt, String cache) {
        ObjectNode body = json.createObjectNode().put("model", MODEL).put("temperature", 0).put("cache", cache);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return body;
    }

    /**
     * A repetitive workload on an account of its own, stated: each request is, by a seeded draw, a question not asked
     * before ({@value #NEW_SHARE}), the exact repeat of one asked before ({@value #REPEAT_SHARE}) or a paraphrase of
     * one ({@value #PARAPHRASE_SHARE}), all opted into the semantic tier; then the account's hit rate and the credits
     * the cache saved beside what its jobs were charged.
     */
    private void workload(URI url, ConfigurableApplicationContext coordinator, List<String[]> pairs)
            throws Exception {
        CommandGateway commands = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        AccountId account = new AccountId("bench-workload");
        commands.sendAndWait(new OpenAccount(account, Country.of("DE"), clock.instant()));
        commands.sendAndWait(new DepositCredits(account, "deposit-1", MicroCredits.credits(1_000_000),
                clock.instant()));
        String key = issueKey(url, account);
        Random draw = new Random(7);
        List<String[]> asked = new ArrayList<>();
        int next = 0;
        int requests = 0;
        while (next < pairs.size()) {
            double kind = draw.nextDouble();
            String prompt;
            if (asked.isEmpty() || kind < NEW_SHARE) {
                String[] pair = pairs.get(next++);
                asked.add(pair);
                prompt = pair[0];
            } else {
                String[] earlier = asked.get(draw.nextInt(asked.size()));
                prompt = kind < NEW_SHARE + REPEAT_SHARE ? earlier[0] : earlier[1];
            }
            whole(url, key, "workload", request(prompt, "semantic"));
            requests++;
        }
        int count = requests;
        long deposited = MicroCredits.credits(1_000_000).value();
        JsonNode stats = await().atMost(KEPT).until(() -> json.readTree(send(url, key, "GET", "/cache/stats", null)
                .body()), node -> node.path("hits").path("total").asLong() + node.path("misses").asLong() == count);
        // every job settled: nothing is held in escrow any more
        long available = await().atMost(KEPT).until(() -> json.readTree(send(url, TestCredentials.OPERATOR_TOKEN,
                "GET", "/accounts/" + account.value() + "/balance", null).body()), balance -> balance
                .path("escrowMicroCredits").asLong() == 0).path("availableMicroCredits").asLong();
        long charged = deposited - available;
        long saved = stats.path("saved_micro_credits").asLong();
        System.out.printf("cache workload: %d requests (drawn %.0f%% new, %.0f%% exact repeats, %.0f%% paraphrases):"
                        + " %d exact hits, %d semantic hits, %d misses; hit rate %.1f%%; charged %d, saved %d"
                        + " micro-credits: %.1f%% of what the workload would have cost without the cache%n",
                count, NEW_SHARE * 100, REPEAT_SHARE * 100, PARAPHRASE_SHARE * 100,
                stats.path("hits").path("exact").asLong(), stats.path("hits").path("semantic").asLong(),
                stats.path("misses").asLong(), stats.path("hit_rate").path("total").asDouble() * 100, charged, saved,
                100.0 * saved / (saved + charged));
    }

    /** Times {@link InferenceCache#lookup} alone, on the request's thread as the door calls it. */
    private void lookup(InferenceCache cache, String version, String kind, ObjectNode body) {
        long start = System.nanoTime();
        InferenceCache.Lookup found = cache.lookup(CONSUMER, MODEL, version, body, new HttpHeaders());
        long took = (System.nanoTime() - start) / 1_000;
        record("in-process lookup " + kind, 200, Optional.of(found.outcome().label()), took);
    }

    /** Times a whole answer, to the end of its body. */
    private void whole(URI url, String key, String kind, ObjectNode body) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> response = send(url, key, "POST", "/v1/chat/completions", body.toString());
        long took = (System.nanoTime() - start) / 1_000;
        record("whole " + kind, response.statusCode(), response.headers().firstValue("X-Archipelago-Cache"), took);
    }

    /** Times a streamed answer, to the line that brings its first content delta. */
    private void streamed(URI url, String key, String kind, ObjectNode body)
            throws IOException, InterruptedException {
        body.put("stream", true);
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url.resolve("/v1/chat/completions"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long first = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (first < 0 && line.startsWith("data: {") && !json.readTree(line.substring(6)).path("choices")
                        .path(0).path("delta").path("content").asText("").isEmpty()) {
                    first = (System.nanoTime() - start) / 1_000;
                }
            }
        }
        record("streamed " + kind, first < 0 ? -1 : response.statusCode(),
                response.headers().firstValue("X-Archipelago-Cache"), first);
    }

    /**
     * Counts the outcome of a request of {@code kind} ({@code form expectation}, e.g. {@code whole exact}), and keeps
     * its time when it was what was expected of it; warm-up requests are not kept.
     */
    private void record(String kind, int status, Optional<String> cache, long took) {
        if (kind.endsWith(WARM_UP)) {
            return;
        }
        String outcome = status == 200 ? cache.orElse("none") : "status " + status;
        outcomes.computeIfAbsent(kind, any -> new LinkedHashMap<>()).merge(outcome, 1, Integer::sum);
        if (kind.endsWith(" " + outcome)) {
            micros.computeIfAbsent(kind, any -> new ArrayList<>()).add(took);
        }
    }

    private HttpResponse<String> send(URI url, String key, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Up to {@code count} labelled paraphrase pairs, in the file's order, each first prompt once. */
    private static List<String[]> paraphrases(int count) throws IOException {
        Map<String, String[]> pairs = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                CacheHitBenchmark.class.getResourceAsStream("/io/archipelago/coordinator/cache/semantic-pairs.tsv")),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null && pairs.size() < count; line = lines.readLine()) {
                String[] fields = line.split("\t");
                if (fields.length == 4 && fields[0].equals("1")) {
                    pairs.putIfAbsent(fields[2], new String[] {fields[2], fields[3]});
                }
            }
        }
        return List.copyOf(pairs.values());
    }

    /** Opens the market of {@link #MODEL} and gives {@link #CONSUMER} a million credits, through the command bus. */
    private static void openMarket(ConfigurableApplicationContext coordinator) {
        CommandGateway commands = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        commands.sendAndWait(new RegisterCargo(new CargoType(MODEL), CargoUnit.THOUSAND_TOKENS,
                new AccountId("publisher-1"), PricePerUnit.of(10), clock.instant()));
        commands.sendAndWait(new OpenAccount(CONSUMER, Country.of("DE"), clock.instant()));
        commands.sendAndWait(new DepositCredits(CONSUMER, "deposit-1", MicroCredits.credits(1_000_000),
                clock.instant()));
    }

    private String issueKey(URI url, AccountId account) throws IOException, InterruptedException {
        HttpResponse<String> issued = send(url, TestCredentials.OPERATOR_TOKEN, "POST",
                "/accounts/" + account.value() + "/keys", null);
        if (issued.statusCode() != 201) {
            throw new IllegalStateException("no key: " + issued.statusCode() + " " + issued.body());
        }
        return json.readTree(issued.body()).path("key").asText();
    }
}

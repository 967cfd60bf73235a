package io.archipelago.coordinator.gateway;

import static org.awaitility.Awaitility.await;

import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many streamed chat completions one coordinator holds at once, and what each costs it. The coordinator runs in a
 * JVM of its own ({@link CoordinatorProcess}); this JVM holds the client ({@code java.net.http}, HTTP/1.1, one
 * connection per stream) and {@value #ISLANDS} Island agents of {@value #SLOTS} slots whose demo runtime streams one
 * token a second for {@value #TOKENS} s: a test double for slow model servers. For each N it opens N streams at
 * once, waits until every one has its first token, reads the coordinator's heap after a forced full collection and its
 * live threads, lets all end, and counts errors (a status other than 200, an error event, a stream without all its
 * tokens or without {@code [DONE]}). Memory per stream = (heap with N open - heap idle just before) / N. Stops
 * escalating at the first level with errors. Figures only, nothing asserted. Run: {@code scripts/bench-gateway.sh}.
 * System properties: {@code bench.streams} (250,500,1000,1500,2000,3000), {@code bench.coordinator-jvm} (-Xmx1g),
 * {@code bench.coordinator-properties} (more of the coordinator's settings: {@code key=value,key=value}).
 */
class ConcurrentStreamsBenchmark {

    static {
        // the client lets a connection go a second after its stream ended, so that the idle heap before the next
        // level does not hold the last level's connections (the default keeps them 20 minutes)
        System.setProperty("jdk.httpclient.keepalive.timeout", "1");
    }

    private static final int ISLANDS = 4;
    private static final int SLOTS = 800;
    private static final int TOKENS = 30;
    private static final String MODEL = "llm.chat.slow";
    private static final String CONTENT = "\"delta\":{\"content\":";

    @TempDir
    Path dir;

    @Test
    void printsStreamsHeldAtOnceWithHeapAndThreads() throws Exception {
        int[] levels = Arrays.stream(System.getProperty("bench.streams", "250,500,1000,1500,2000,3000").split(","))
                .mapToInt(level -> Integer.parseInt(level.trim())).toArray();
        List<String> jvm = List.of(System.getProperty("bench.coordinator-jvm", "-Xmx1g").split(" "));
        Map<String, Object> properties = new HashMap<>();
        properties.put("logging.level.io.archipelago", "WARN");
        // one key opens every stream at once here; its rate limit (burst 100 by default) is not what is measured
        properties.put("archipelago.security.rate-limit.requests-per-second", 10_000);
        properties.put("archipelago.security.rate-limit.burst", 10_000);
        for (String setting : System.getProperty("bench.coordinator-properties", "").split(",")) {
            if (setting.contains("=")) {
                properties.put(setting.substring(0, setting.indexOf('=')).trim(),
                        setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        try (CoordinatorProcess coordinator = CoordinatorProcess.start(dir, jvm, properties)) {
            String key = openMarket(coordinator);
            List<IslandAgent> islands = new ArrayList<>();
            try {
                for (int i = 0; i < ISLANDS; i++) {
                    islands.add(IslandAgent.start(new AgentSettings("slow-" + i, "host-slow-" + i, "DE",
                            Map.of(MODEL, 1_000L), SLOTS, List.of(), coordinator.url(), null, "demo", null, null,
                            Duration.ofSeconds(1)).withKey(CoordinatorProcess.OPERATOR_TOKEN)));
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> coordinator.get("/markets/" + MODEL).path("onlineAsks").asInt() == ISLANDS);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(30)).build();
                System.out.printf("coordinator JVM: %s, pid %d, %s; %d Islands x %d slots, %d tokens 1 s apart%n",
                        String.join(" ", jvm), coordinator.pid(), properties, ISLANDS, SLOTS, TOKENS);
                round(coordinator, client, key, 50, false);
                for (int streams : levels) {
                    if (round(coordinator, client, key, streams, true) > 0) {
                        break;
                    }
                }
            } finally {
                islands.forEach(IslandAgent::close);
            }
        }
    }

    /** Opens {@code streams} at once and holds them; returns how many failed. */
    private static int round(CoordinatorProcess coordinator, HttpClient client, String key, int streams,
                             boolean print) throws Exception {
        // the last level's connections close a second after their streams ended
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        CoordinatorProcess.Footprint idle = coordinator.footprint();
        String body = "{\"model\":\"" + MODEL + "\",\"stream\":true,\"max_tokens\":" + TOKENS + ",\"messages\":[{"
                + "\"role\":\"user\",\"content\":\"" + "word ".repeat(TOKENS).trim() + "\"}]}";
        HttpRequest request = HttpRequest.newBuilder(coordinator.url().resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        AtomicInteger open = new AtomicInteger();
        List<Watch> watches = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            Watch watch = new Watch(open);
            watches.add(watch);
            watch.response = client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(watch));
        }
        await().atMost(Duration.ofSeconds(TOKENS)).pollInterval(Duration.ofMillis(50))
                .until(() -> open.get() == streams || watches.stream().anyMatch(Watch::ended));
        long allOpenMillis = (System.nanoTime() - start) / 1_000_000;
        int openAtPeak = open.get();
        CoordinatorProcess.Footprint held = coordinator.footprint();
        int openAfterMeasuring = open.get();
        if (print && Boolean.getBoolean("bench.histogram")) {
            coordinator.histogram(25).forEach(line -> System.out.println("       open: " + line));
        }
        CompletableFuture.allOf(watches.stream().map(watch -> watch.response.handle((response, failure) -> null))
                .toArray(CompletableFuture[]::new)).get(TOKENS + 120, TimeUnit.SECONDS);
        long errors = watches.stream().filter(watch -> !watch.succeeded()).count();
        CoordinatorProcess.Footprint after = coordinator.footprint();
        if (print && Boolean.getBoolean("bench.histogram")) {
            coordinator.histogram(25).forEach(line -> System.out.println("      ended: " + line));
        }
        if (print) {
            long perStream = (held.heapBytes() - idle.heapBytes()) / streams;
            System.out.printf("%5d streams: all open after %5d ms (%d open at once, %d while measuring), errors %d;"
                            + " heap idle %4d MB, with streams open %4d MB, %5.1f KB per stream; threads idle %d,"
                            + " with streams open %d; after they ended: heap %4d MB, %5.1f KB per ended stream, threads"
                            + " %d%n",
                    streams, allOpenMillis, openAtPeak, openAfterMeasuring, errors, idle.heapBytes() >> 20,
                    held.heapBytes() >> 20, perStream / 1024.0, idle.threads(), held.threads(),
                    after.heapBytes() >> 20, (after.heapBytes() - idle.heapBytes()) / 1024.0 / streams,
                    after.threads());
            watches.stream().filter(watch -> !watch.succeeded()).map(Watch::describe).distinct().limit(5)
                    .forEach(failure -> System.out.println("       error: " + failure));
            if (errors > 0) {
                coordinator.complaints().forEach((line, count) -> System.out.println("       log x" + count + ": "
                        + line));
            }
        }
        return (int) errors;
    }

    /** One stream read line by line: its content tokens, whether it ended with [DONE], any error event. */
    private static final class Watch implements Flow.Subscriber<String> {
        private final AtomicInteger open;
        private volatile CompletableFuture<HttpResponse<Void>> response = new CompletableFuture<>();
        private volatile int tokens;
        private volatile boolean done;
        private volatile boolean ended;
        private volatile String error = "";

        Watch(AtomicInteger open) {
            this.open = open;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.contains(CONTENT)) {
                if (tokens++ == 0) {
                    open.incrementAndGet();
                }
            } else if (line.equals("data: [DONE]")) {
                done = true;
            } else if (line.contains("\"error\"")) {
                error = line;
            }
        }

        @Override
        public void onError(Throwable failure) {
            error = failure.toString();
            end();
        }

        @Override
        public void onComplete() {
            end();
        }

        private void end() {
            ended = true;
            if (tokens > 0) {
                open.decrementAndGet();
            }
        }

        boolean ended() {
            return ended;
        }

        boolean succeeded() {
            return response.isDone() && !response.isCompletedExceptionally() && response.join().statusCode() == 200
                    && done && tokens == TOKENS && error.isEmpty();
        }

        String describe() {
            if (response.isCompletedExceptionally()) {
                return response.handle((ok, failure) -> failure.toString()).join();
            }
            return "status " + response.join().statusCode() + ", " + tokens + " tokens, done " + done + " " + error;
        }
    }

    /** Opens the market of {@link #MODEL} and an account with a million credits; returns the account's API key. */
    private static String openMarket(CoordinatorProcess coordinator) throws Exception {
        coordinator.post("/cargos", "{\"cargo\":\"" + MODEL + "\",\"unit\":\"THOUSAND_TOKENS\","
                + "\"publisher\":\"publisher-1\",\"royaltyMicroCredits\":10}");
        coordinator.post("/accounts", "{\"accountId\":\"consumer-1\",\"country\":\"DE\"}");
        coordinator.post("/accounts/consumer-1/deposits", "{\"depositId\":\"deposit-1\","
                + "\"amountMicroCredits\":1000000000000}");
        return coordinator.post("/accounts/consumer-1/keys", "").path("key").asText();
    }
}

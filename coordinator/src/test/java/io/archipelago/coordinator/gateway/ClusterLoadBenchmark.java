package io.archipelago.coordinator.gateway;

import static org.awaitility.Awaitility.await;

import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One coordinator node against two on the same machine: whole chat completions through {@code /v1}, closed loop,
 * {@code bench.clients} clients (16) spread round robin over the nodes (over the first {@code bench.client-nodes}
 * of them when set), each sending its next request when the last
 * answered, for {@code bench.seconds} (20) after a warm-up of 5 s. Each size of cluster gets a fresh PostgreSQL (fsync
 * off), a plain {@code nats-server}, coordinator JVMs of their own ({@code -Xmx384m}) with their bridges on and two
 * demo Island agents in this JVM that answer at once ({@value #TOKENS} tokens, no pause). Prints completed requests
 * per second, latency quantiles, errors (a status other than 200), the command retries each node scheduled
 * (optimistic locking lost to the other node, among others) and what each node logged as a warning or error.
 * Figures only, nothing asserted; on one machine
 * the nodes share its cores, so this shows what a second node costs or gains here, not what it would on its own
 * machine. Run: {@code scripts/bench-cluster.sh}.
 */
class ClusterLoadBenchmark {

    private static final String MODEL = "llm.chat.demo";
    private static final int TOKENS = 8;
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void printsThroughputAndLatencyOfOneNodeAndOfTwo() throws Exception {
        int clients = Integer.getInteger("bench.clients", 16);
        Duration measured = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
        int[] sizes = Arrays.stream(System.getProperty("bench.nodes", "1,2").split(","))
                .mapToInt(size -> Integer.parseInt(size.trim())).toArray();
        for (int nodes : sizes) {
            run(nodes, clients, measured);
        }
    }

    private void run(int nodes, int clients, Duration measured) throws Exception {
        Path base = Files.createDirectories(dir.resolve("cluster-" + nodes));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(0).setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").start();
             NatsProcess nats = NatsProcess.start(base.resolve("nats"))) {
            Map<String, Object> settings = new HashMap<>();
            settings.put("DATABASE_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
            settings.put("DATABASE_USER", "postgres");
            settings.put("NATS_URL", nats.url());
            settings.put("logging.level.io.archipelago", System.getProperty("bench.log-level", "WARN"));
            // one key sends every request here; its rate limit is not what is measured
            settings.put("archipelago.security.rate-limit.requests-per-second", 100_000);
            settings.put("archipelago.security.rate-limit.burst", 100_000);
            List<CoordinatorProcess> started = new ArrayList<>();
            List<IslandAgent> islands = new ArrayList<>();
            try {
                for (int i = 0; i < nodes; i++) {
                    Map<String, Object> node = new HashMap<>(settings);
                    node.put("archipelago.cluster.node-id", "node-" + i);
                    started.add(CoordinatorProcess.start(Files.createDirectories(base.resolve("node-" + i)),
                            List.of("-Xmx384m"), node));
                }
                String key = started.get(0).openMarket(MODEL);
                for (int i = 0; i < 2; i++) {
                    islands.add(IslandAgent.start(new AgentSettings("fast-" + i, "host-fast-" + i, "DE",
                            Map.of(MODEL, 1_000L), 64, List.of(), started.get(i % nodes).url(), null, "demo", null,
                            null, Duration.ZERO).withKey(CoordinatorProcess.OPERATOR_TOKEN)));
                }
                for (CoordinatorProcess node : started) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> node.get("/v1/models").path("data").size() == 1);
                }
                load(started, key, clients, WARM_UP);
                Result result = load(started, key, clients, measured);
                Quantiles latency = Quantiles.of(result.micros());
                System.out.printf("cluster %d node(s), %d clients, %d s: %.0f chats/s, latency p50 %.1f ms,"
                                + " p90 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d%n", nodes, clients,
                        measured.toSeconds(),
                        result.micros().length / (double) measured.toSeconds(), latency.p50() / 1000.0,
                        latency.p90() / 1000.0, latency.p99() / 1000.0, latency.max() / 1000.0, result.errors());
                for (int i = 0; i < nodes; i++) {
                    System.out.printf("cluster node-%d scheduled %d command retries%n", i, started.get(i)
                            .get("/actuator/metrics/archipelago.command.retries").path("measurements").get(0)
                            .path("value").asLong());
                    int node = i;
                    started.get(i).complaints().entrySet().stream().limit(12).forEach(complaint ->
                            System.out.printf("cluster node-%d logged %d times: %s%n", node, complaint.getValue(),
                                    complaint.getKey()));
                }
            } finally {
                islands.forEach(IslandAgent::close);
                for (CoordinatorProcess node : started) {
                    node.close();
                }
            }
        }
    }

    /** What one period of load gave: the latency of each answered request and how many were errors. */
    private record Result(long[] micros, int errors) {
    }

    private static Result load(List<CoordinatorProcess> nodes, String key, int clients, Duration period)
            throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + TOKENS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}";
        ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + period.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int client = 0; client < clients; client++) {
            CoordinatorProcess node = nodes.get(client % Math.min(nodes.size(),
                    Integer.getInteger("bench.client-nodes", nodes.size())));
            HttpRequest request = HttpRequest.newBuilder(node.url().resolve("/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 200) {
                            micros.add((System.nanoTime() - sent) / 1000);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception failed) {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(period.toSeconds() + 120, TimeUnit.SECONDS);
        return new Result(micros.stream().mapToLong(Long::longValue).toArray(), errors.get());
    }
}

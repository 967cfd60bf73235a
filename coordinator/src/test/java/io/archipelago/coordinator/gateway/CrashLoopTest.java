package io.archipelago.coordinator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.nats.client.AuthenticationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code kill -9} of the coordinator under load, again and again, on the same data dir (its embedded PostgreSQL,
 * nats-server and demo Islands with it). Clients send chats (streamed and whole) and bids, each with an
 * {@code Idempotency-Key}, and send each again with the same key until it is answered or refused with a named error.
 * At the end: every key ended (none lost), every job a key made ended, no key was charged for more than one job (the
 * job read model, read straight from PostgreSQL), every restart served the demo Islands and an Island agent of its own
 * outside the coordinator (reconnected by itself) again, and {@code --audit}
 * finds the money conserved. {@code -Dcrash.kills=N} kills N times ({@code scripts/crash-loop.sh}); the figures are
 * printed: the time from each kill to the first answer after it, beside the anchor, a first start to its first answer.
 */
class CrashLoopTest {

    private static final String MODEL = "llm.chat.demo";
    /** Served by an Island agent of the test's own, outside the coordinator: it must reconnect after each kill. */
    private static final String EXTERNAL_MODEL = "llm.chat.external";
    private static final String CONSUMER = "demo-consumer";
    private static final Duration PER_KEY = Duration.ofMinutes(3);
    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "EXPIRED", "CANCELLED", "REJECTED");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedJobIsLostAndNoKeyIsChargedTwiceAcrossKills() throws Exception {
        int kills = Integer.getInteger("crash.kills", 3);
        int clients = Integer.getInteger("crash.clients", 4);
        int httpPort = freePort();
        int postgresPort = freePort();
        Map<String, Object> settings = new HashMap<>();
        settings.put("server.port", httpPort);
        settings.put("archipelago.postgres.port", postgresPort);
        settings.put("archipelago.nats.port", freePort());
        settings.put("archipelago.demo-islands", true);
        settings.put("archipelago.demo.container-cargo", false);
        settings.put("archipelago.bridge.probe-interval", "200ms");
        settings.put("archipelago.bridge.stall-timeout", "3s");
        settings.put("archipelago.cluster.node-timeout", "2s");
        settings.put("archipelago.idempotency.holder-lease", "3s");
        URI url = URI.create("http://127.0.0.1:" + httpPort);
        Random random = new Random(Long.getLong("crash.seed", 11L));

        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> serveAgainMillis = new ArrayList<>();
        ExecutorService load = Executors.newFixedThreadPool(clients);
        // the anchor: a first start, with no kill before it, to its first answer
        long started = System.nanoTime();
        CoordinatorProcess coordinator = CoordinatorProcess.start(dir, List.of("-Xmx512m"), settings);
        IslandAgent external = null;
        try {
            String key = consumerKey();
            outcomes.put("probe-0", send(url, key, "probe-0", Kind.WHOLE, MODEL, requests));
            serveAgainMillis.add((System.nanoTime() - started) / 1_000_000);
            String externalKey = coordinator.openMarket(EXTERNAL_MODEL);
            // a host whose agent's first connection is refused starts it again, here as a new Island (seen once
            // under load while the demo Islands were being admitted beside it)
            AtomicInteger attempt = new AtomicInteger();
            external = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsInstanceOf(AuthenticationException.class)
                    .until(() -> IslandAgent.start(new AgentSettings("external-" + attempt.incrementAndGet(),
                            "host-external", "DE", Map.of(EXTERNAL_MODEL, 1_000L), 3, List.of(), url, null, "demo",
                            null, null, Duration.ofMillis(20)).withKey(CoordinatorProcess.OPERATOR_TOKEN)),
                            agent -> true);
            outcomes.put("probe-external-0", send(url, externalKey, "probe-external-0", Kind.WHOLE, EXTERNAL_MODEL,
                    requests));
            for (int client = 0; client < clients; client++) {
                int number = client;
                load.submit(() -> drive(url, key, number, stop, outcomes, requests));
            }
            for (int kill = 1; kill <= kills; kill++) {
                Thread.sleep(2_000 + random.nextInt(6_000));
                coordinator.kill();
                long killed = System.nanoTime();
                coordinator = CoordinatorProcess.start(dir, List.of("-Xmx512m"), settings);
                // served again: a new chat is answered by a demo Island that reconnected after the restart
                outcomes.put("probe-" + kill, send(url, consumerKey(), "probe-" + kill, Kind.WHOLE, MODEL,
                        requests));
                serveAgainMillis.add((System.nanoTime() - killed) / 1_000_000);
                // and the Island outside it, whose agent reconnects by itself
                outcomes.put("probe-external-" + kill, send(url, externalKey, "probe-external-" + kill, Kind.WHOLE,
                        EXTERNAL_MODEL, requests));
            }
            Thread.sleep(3_000);
            stop.set(true);
            load.shutdown();
            assertThat(load.awaitTermination(PER_KEY.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();

            PGSimpleDataSource database = new PGSimpleDataSource();
            database.setUrl("jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres");
            database.setUser("postgres");
            database.setPassword(Files.readString(dir.resolve("data").resolve("postgres")
                    .resolve("archipelago-password"), StandardCharsets.UTF_8).trim());
            JdbcTemplate sql = new JdbcTemplate(database);
            Map<String, String> jobOfKey = new TreeMap<>();
            outcomes.forEach((name, outcome) -> {
                if (outcome.job() != null) {
                    jobOfKey.put(name, outcome.job());
                }
            });
            // every job a key made reaches an end; a key's only charge is for the job its answer names
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    sql.queryForList("SELECT status FROM job_view WHERE consumer = ?", String.class, CONSUMER)
                            .stream().allMatch(ENDED::contains));
            List<String> charged = sql.queryForList("SELECT job_id FROM job_view WHERE consumer = ? "
                    + "AND charged_micro_credits > 0", String.class, CONSUMER);
            Set<String> named = Set.copyOf(jobOfKey.values());
            List<String> chargedUnnamed = charged.stream().filter(job -> !named.contains(job)).toList();
            List<String> lost = outcomes.entrySet().stream().filter(entry -> entry.getValue().kind() == Result.LOST)
                    .map(Map.Entry::getKey).toList();
            Map<String, Long> byResult = outcomes.values().stream().collect(Collectors.groupingBy(
                    outcome -> outcome.kind() == Result.NAMED_ERROR ? "error " + outcome.code()
                            : outcome.kind().name().toLowerCase(Locale.ROOT), TreeMap::new,
                    Collectors.counting()));
            System.out.printf("CRASH-LOOP kills=%d keys=%d requests=%d outcomes=%s lost=%d charged=%d "
                            + "charged-twice=%d first-start-to-answer-ms=%d serve-again-ms=%s%n", kills,
                    outcomes.size(), requests.get(), byResult, lost.size(), charged.size(), chargedUnnamed.size(),
                    serveAgainMillis.get(0), serveAgainMillis.subList(1, serveAgainMillis.size()));

            assertThat(lost).as("keys without an answer or a named error").isEmpty();
            assertThat(chargedUnnamed).as("jobs charged that no key's answer names: a key charged twice").isEmpty();
            assertThat(outcomes.keySet()).filteredOn(name -> name.startsWith("probe-"))
                    .allSatisfy(probe -> assertThat(outcomes.get(probe).kind()).as(probe).isEqualTo(Result.ANSWERED));
        } finally {
            stop.set(true);
            load.shutdownNow();
            if (external != null) {
                external.close();
            }
            coordinator.close();
        }
        Audit audit = audit(settings);
        assertThat(audit.exitCode()).as("--audit exit code (money conserved, chain whole): %s; the coordinator "
                + "logged about the chain: %s", audit.problems(), chainLog()).isZero();
    }

    /** One client: new keys one after the other, each sent until it has its end. */
    private void drive(URI url, String key, int client, AtomicBoolean stop, Map<String, Outcome> outcomes,
                       AtomicInteger requests) {
        for (int n = 0; !stop.get(); n++) {
            String name = "crash-" + client + "-" + n;
            Kind kind = Kind.values()[(client + n) % Kind.values().length];
            outcomes.put(name, send(url, key, name, kind, MODEL, requests));
        }
    }

    /** Sends one request under {@code idempotencyKey} again and again until it ends, for at most {@link #PER_KEY}. */
    private Outcome send(URI url, String key, String idempotencyKey, Kind kind, String model,
                         AtomicInteger requests) {
        long deadline = System.nanoTime() + PER_KEY.toNanos();
        while (System.nanoTime() - deadline < 0) {
            requests.incrementAndGet();
            try {
                HttpResponse<String> answer = http.send(kind.request(url, key, idempotencyKey, model),
                        HttpResponse.BodyHandlers.ofString());
                Outcome outcome = judge(kind, idempotencyKey, answer);
                if (outcome != null) {
                    return outcome;
                }
            } catch (IOException connectionLost) {
                // the coordinator died under it, or is not up again yet: the same key again
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return new Outcome(Result.LOST, null, null);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return new Outcome(Result.LOST, null, null);
            }
        }
        return new Outcome(Result.LOST, null, null);
    }

    /** The end an answer gives its key; null when the client should send it again. */
    private @Nullable Outcome judge(Kind kind, String idempotencyKey, HttpResponse<String> answer)
            throws IOException {
        int status = answer.statusCode();
        String job = answer.headers().firstValue("X-Archipelago-Job-Id")
                .orElse(kind == Kind.BID ? "bid-" + idempotencyKey : null);
        boolean retry = answer.headers().firstValue("x-should-retry").map(Boolean::parseBoolean).orElse(false);
        if (status >= 500 || status == 429 || (status == 409 && retry)) {
            return null;
        }
        if (status / 100 == 2) {
            String body = answer.body();
            if (kind == Kind.STREAM) {
                if (!body.endsWith("data: [DONE]\n\n")) {
                    // ended by an error event, which names its cause
                    int at = body.lastIndexOf("\"code\":\"");
                    String code = at < 0 ? "unnamed" : body.substring(at + 8, body.indexOf('"', at + 8));
                    return new Outcome(Result.NAMED_ERROR, code, job);
                }
            } else if (kind == Kind.WHOLE && json.readTree(body).path("choices").path(0).path("message")
                    .path("content").asText().isEmpty()) {
                return new Outcome(Result.NAMED_ERROR, "empty", job);
            }
            return new Outcome(Result.ANSWERED, null, job);
        }
        JsonNode refusal = json.readTree(answer.body());
        String code = refusal.path("error").path("code").asText(refusal.path("title").asText("status " + status));
        return new Outcome(Result.NAMED_ERROR, code, job);
    }

    private String consumerKey() throws IOException {
        return Files.readString(dir.resolve("data").resolve("demo-consumer-key"), StandardCharsets.UTF_8).trim();
    }

    /** {@code --audit} on the stopped coordinator's data dir, as an operator runs it: its exit code and problems. */
    private Audit audit(Map<String, Object> settings) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.archipelago.coordinator.CoordinatorApplication", "--audit",
                "--archipelago.data-dir=" + dir.resolve("data"),
                "--archipelago.postgres.port=" + settings.get("archipelago.postgres.port"),
                "--archipelago.postgres.durable=false", "--logging.level.root=WARN"));
        Process audit = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("audit.log").toFile()).start();
        if (!audit.waitFor(3, TimeUnit.MINUTES)) {
            audit.destroyForcibly();
            throw new IllegalStateException("--audit did not end: " + dir.resolve("audit.log"));
        }
        List<String> problems = Files.readAllLines(dir.resolve("audit.log")).stream()
                .filter(line -> line.contains("RESULT") || line.contains("PROBLEM") || line.contains("FAIL")
                        || line.contains("more problems"))
                .toList();
        problems.forEach(System.out::println);
        return new Audit(audit.exitValue(), problems);
    }

    /** What the coordinator's runs logged about the event chain (its links at shutdown, its failures). */
    private List<String> chainLog() throws IOException {
        try (Stream<String> lines = Files.lines(dir.resolve("coordinator.log"))) {
            return lines.filter(line -> line.contains("event chain") || line.contains("EventChain")).toList();
        }
    }

    /** What {@code --audit} ended with. */
    private record Audit(int exitCode, List<String> problems) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** What the clients send. */
    private enum Kind {
        STREAM, WHOLE, BID;

        HttpRequest request(URI url, String key, String idempotencyKey, String model) {
            String body;
            String path;
            if (this == BID) {
                path = "/markets/" + model + "/bids";
                body = "{\"jobId\":\"bid-" + idempotencyKey + "\",\"consumer\":\"" + CONSUMER
                        + "\",\"limitMicroCredits\":5000,\"maxUnits\":10}";
            } else {
                path = "/v1/chat/completions";
                body = "{\"model\":\"" + model + "\",\"stream\":" + (this == STREAM) + ",\"max_tokens\":12,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + idempotencyKey + " survives\"}]}";
            }
            return HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
    }

    /** How a key ended. */
    private enum Result { ANSWERED, NAMED_ERROR, LOST }

    /** A key's end: how, the error's code when refused, the job its answer names. */
    private record Outcome(Result kind, @Nullable String code, @Nullable String job) {
    }
}

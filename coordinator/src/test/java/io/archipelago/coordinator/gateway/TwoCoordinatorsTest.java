package io.archipelago.coordinator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.agent.AgentSettings;
import io.archipelago.agent.IslandAgent;
import io.archipelago.embedded.kafka.EmbeddedKafka;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobOffer;
import io.archipelago.protocol.RejectedMessage;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two coordinator JVMs with their island bridges on, on one PostgreSQL, one {@code nats-server} and one Kafka broker,
 * with two island agents connected (one through each node): chats through both nodes' {@code /v1}, streamed and
 * whole, reach their Island once each (a listener on NATS counts the offers) and answer. Then one node is killed
 * with SIGKILL while both serve long streams: its clients lose their connection, every job placed reaches an end
 * (completed, or failed and refunded once the other node took over the dead node's jobs), no placement reached an
 * Island twice, all escrow comes back, and the surviving node keeps answering. The dead node's clients sent their
 * chats with an {@code Idempotency-Key}: sent again to the surviving node, each is answered (or refused with a named
 * error) once the dead node's lease on its key ran out, not after the key's 20-minute abandonment, and no key is
 * charged for more than the one job its answer names.
 */
class TwoCoordinatorsTest {

    private static final String MODEL = "llm.chat.demo";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "EXPIRED", "CANCELLED");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void jobsGoThroughEitherNodeOnceAndSurviveTheLossOfANode() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(0).setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").start();
             NatsProcess nats = NatsProcess.start(dir.resolve("nats"));
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
             Connection spy = Nats.connect(nats.url())) {
            Map<String, Integer> offers = new ConcurrentHashMap<>();
            spy.createDispatcher(message -> {
                try {
                    offers.merge(Codec.decode(message.getData(), JobOffer.class).jobId(), 1, Integer::sum);
                } catch (RejectedMessage unreadable) {
                    offers.merge("unreadable", 1, Integer::sum);
                }
            }).subscribe("island.*.jobs");
            spy.flush(Duration.ofSeconds(5));
            Map<String, Object> shared = Map.of(
                    "DATABASE_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                    "DATABASE_USER", "postgres",
                    "NATS_URL", nats.url(),
                    "KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "archipelago.kafka.export.enabled", true,
                    "archipelago.cluster.node-timeout", "2s",
                    "archipelago.idempotency.holder-lease", "2s",
                    "archipelago.bridge.probe-interval", "200ms",
                    "archipelago.bridge.stall-timeout", "3s");
            CompletableFuture<CoordinatorProcess> startingB = CompletableFuture.supplyAsync(() -> node("b", shared));
            try (CoordinatorProcess a = node("a", shared); CoordinatorProcess b = startingB.get(3, TimeUnit.MINUTES)) {
                String key = a.openMarket(MODEL);
                List<IslandAgent> agents = List.of(agent("echo-a", a), agent("echo-b", b));
                try {
                    await().atMost(WAIT).until(() -> a.get("/v1/models").path("data").size() == 1
                            && b.get("/v1/models").path("data").size() == 1);

                    // both doors, streamed and whole: every job reaches its Island once and answers
                    List<CompletableFuture<HttpResponse<String>>> chats = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        chats.add(chat(i % 2 == 0 ? a : b, key, i % 4 < 2, 3));
                    }
                    List<String> jobs = new ArrayList<>();
                    for (CompletableFuture<HttpResponse<String>> chat : chats) {
                        HttpResponse<String> answer = chat.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                        assertThat(answer.body()).contains("demo");
                        jobs.add(answer.headers().firstValue("X-Archipelago-Job-Id").orElseThrow());
                    }
                    assertThat(chats.get(0).get().body()).endsWith("data: [DONE]\n\n");
                    for (String job : jobs) {
                        await().atMost(WAIT).until(() -> a.get("/jobs/" + job).path("status").asText()
                                .equals("COMPLETED"));
                        assertThat(offers.get(job)).as(job).isEqualTo(1);
                    }

                    // under load, one node dies: its clients lose their connection, the other node goes on
                    List<CompletableFuture<HttpResponse<String>>> onA = new ArrayList<>();
                    List<CompletableFuture<HttpResponse<String>>> onB = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        onA.add(chat(a, key, true, 40));
                        onB.add(chat(b, key, true, 40, "held-by-b-" + i));
                    }
                    await().atMost(WAIT).until(() -> offers.size() >= jobs.size() + 6);
                    b.kill();
                    for (CompletableFuture<HttpResponse<String>> lost : onB) {
                        assertThat(lost).failsWithin(WAIT);
                    }
                    for (CompletableFuture<HttpResponse<String>> kept : onA) {
                        HttpResponse<String> answer = kept.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        // completed where node a dispatched it, else failed with a named error once a took it over
                        assertThat(answer.body()).satisfiesAnyOf(
                                body -> assertThat(body).endsWith("data: [DONE]\n\n"),
                                body -> assertThat(body).contains("\"error\"").contains("\"code\""));
                    }
                    HttpResponse<String> after = chat(a, key, true, 3).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertThat(after.body()).endsWith("data: [DONE]\n\n");

                    JdbcTemplate sql = new JdbcTemplate(postgres.getPostgresDatabase());
                    Map<String, Integer> placements = placements(postgres.getPostgresDatabase());
                    jobs.add(after.headers().firstValue("X-Archipelago-Job-Id").orElseThrow());
                    // the long jobs node b dispatched were taken over by node a: b holds none of them any more
                    List<String> underLoad = placements.keySet().stream().filter(job -> !jobs.contains(job)).toList();
                    assertThat(underLoad).hasSize(6);
                    await().atMost(WAIT).until(() -> sql.queryForObject("SELECT count(*) FROM job_dispatch "
                            + "WHERE node_id = 'node-b' AND job_id = ANY (?)", Long.class,
                            (Object) underLoad.toArray(String[]::new)) == 0);
                    assertThat(placements.keySet()).containsAll(offers.keySet());
                    for (String job : placements.keySet()) {
                        await().atMost(WAIT).until(() -> ENDED.contains(a.get("/jobs/" + job).path("status")
                                .asText()));
                    }
                    await().atMost(WAIT).until(() -> a.get("/accounts/consumer-1/balance")
                            .path("escrowMicroCredits").asLong() == 0);
                    // once every job ended: a job taken over before it started was placed again, and offered again
                    Map<String, Integer> ended = placements(postgres.getPostgresDatabase());
                    assertThat(ended.keySet()).isEqualTo(placements.keySet());
                    ended.forEach((job, placed) -> assertThat(offers.get(job)).as(job).isLessThanOrEqualTo(placed));

                    // the dead node's clients send again with their keys, to the node that lives
                    Set<String> named = new HashSet<>(jobs);
                    named.add(after.headers().firstValue("X-Archipelago-Job-Id").orElseThrow());
                    for (CompletableFuture<HttpResponse<String>> kept : onA) {
                        kept.get().headers().firstValue("X-Archipelago-Job-Id").ifPresent(named::add);
                    }
                    for (int i = 0; i < 3; i++) {
                        String idempotencyKey = "held-by-b-" + i;
                        AtomicReference<HttpResponse<String>> retried = new AtomicReference<>();
                        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                            retried.set(chat(a, key, true, 40, idempotencyKey).get(WAIT.toSeconds(),
                                    TimeUnit.SECONDS));
                            return !retried.get().headers().firstValue("x-should-retry").orElse("false")
                                    .equals("true");
                        });
                        HttpResponse<String> answer = retried.get();
                        assertThat(answer.body()).as(idempotencyKey).satisfiesAnyOf(
                                body -> assertThat(body).endsWith("data: [DONE]\n\n"),
                                body -> assertThat(body).contains("idempotency_answer_lost"));
                        answer.headers().firstValue("X-Archipelago-Job-Id").ifPresent(named::add);
                    }
                    await().atMost(WAIT).until(() -> a.get("/accounts/consumer-1/balance")
                            .path("escrowMicroCredits").asLong() == 0);
                    // every charge is for a job some answer named: no key of the dead node's clients paid twice
                    assertThat(sql.queryForList("SELECT job_id FROM job_view WHERE consumer = 'consumer-1' "
                            + "AND charged_micro_credits > 0", String.class)).isSubsetOf(named);
                } finally {
                    agents.forEach(IslandAgent::close);
                }
            }
        }
    }

    private CoordinatorProcess node(String name, Map<String, Object> shared) {
        Map<String, Object> settings = new HashMap<>(shared);
        settings.put("archipelago.cluster.node-id", "node-" + name);
        try {
            return CoordinatorProcess.start(Files.createDirectories(dir.resolve(name)), List.of("-Xmx384m"),
                    settings);
        } catch (IOException failed) {
            throw new IllegalStateException("coordinator " + name + " did not start", failed);
        }
    }

    /** A demo Island of three slots, 100 ms per token, that registers and opens its session through {@code node}. */
    private static IslandAgent agent(String name, CoordinatorProcess node) throws Exception {
        return IslandAgent.start(new AgentSettings(name, "host-" + name, "DE", Map.of(MODEL, 1_000L), 3, List.of(),
                node.url(), null, "demo", null, null, Duration.ofMillis(100))
                .withKey(CoordinatorProcess.OPERATOR_TOKEN));
    }

    private CompletableFuture<HttpResponse<String>> chat(CoordinatorProcess node, String key, boolean stream,
                                                         int tokens) {
        return chat(node, key, stream, tokens, null);
    }

    private CompletableFuture<HttpResponse<String>> chat(CoordinatorProcess node, String key, boolean stream,
                                                         int tokens, @Nullable String idempotencyKey) {
        String body = "{\"model\":\"" + MODEL + "\",\"stream\":" + stream + ",\"max_tokens\":" + tokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(node.url().resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** How many times each job was placed, from the event store. */
    private Map<String, Integer> placements(DataSource database) {
        Map<String, Integer> placed = new HashMap<>();
        new JdbcTemplate(database).query("SELECT payload FROM domain_event_entry WHERE payload_type LIKE '%.JobPlaced'",
                row -> {
                    try {
                        JsonNode event = json.readTree(row.getBytes("payload"));
                        JsonNode job = event.path("jobId");
                        placed.merge(job.isTextual() ? job.asText() : job.path("value").asText(), 1, Integer::sum);
                    } catch (IOException unreadable) {
                        throw new IllegalStateException(unreadable);
                    }
                });
        return placed;
    }
}

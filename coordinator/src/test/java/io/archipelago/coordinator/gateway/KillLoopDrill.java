package io.archipelago.coordinator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the coordinator under load, again and again, with clients that retry each request under its
 * Idempotency-Key until it is answered, as the official clients do: after the last restart every acknowledged
 * request's job completed, no key got two jobs, no job was charged twice (the consumer's balance is the deposit less
 * the sum of its jobs' charges), and each restart served the demo Islands again. Run by {@code scripts/kill-loop.sh}
 * (not by {@code verify}); prints its figures, asserts nothing about time.
 */
class KillLoopDrill {

    private static final String MODEL = "llm.chat.demo";
    private static final long DEPOSIT = 100_000_000L;
    private static final int CLIENTS = Integer.getInteger("drill.clients", 4);
    private static final int ROUNDS = Integer.getInteger("drill.rounds", 5);
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("drill.seconds", 8));
    private static final Map<String, Object> SETTINGS = Map.of("archipelago.demo-islands", true,
            "archipelago.bridge.probe-interval", "200ms", "archipelago.bridge.stall-timeout", "3s");

    private final Set<String> abandoned = ConcurrentHashMap.newKeySet();

    @TempDir
    Path dir;

    @Test
    void killedAgainAndAgainNoAcknowledgedJobIsLostOrChargedTwice() throws Exception {
        Map<String, String> answered = new ConcurrentHashMap<>();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        List<String> problems = new ArrayList<>();
        String key = null;
        for (int round = 1; round <= ROUNDS + 1; round++) {
            CoordinatorProcess coordinator = CoordinatorProcess.start(dir, List.of("-Xmx512m"), SETTINGS);
            long started = System.nanoTime();
            if (key == null) {
                coordinator.post("/accounts", "{\"accountId\":\"consumer-1\",\"country\":\"DE\"}");
                coordinator.post("/accounts/consumer-1/deposits", "{\"depositId\":\"deposit-1\","
                        + "\"amountMicroCredits\":" + DEPOSIT + "}");
                key = coordinator.post("/accounts/consumer-1/keys", "").path("key").asText();
            }
            String credential = key;
            // the requests the last kill left unanswered, sent again under their keys
            for (String idempotencyKey : List.copyOf(unanswered)) {
                ask(coordinator, credential, idempotencyKey, answered, unanswered, problems);
            }
            System.out.printf("round %d: coordinator up, %d retried requests answered %.1f s after its start%n",
                    round, answered.size(), (System.nanoTime() - started) / 1e9);
            if (round > ROUNDS) {
                check(coordinator, answered, unanswered, problems);
                coordinator.close();
                break;
            }
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int client = 0; client < CLIENTS; client++) {
                clients.execute(() -> {
                    while (running.get()) {
                        String idempotencyKey = "drill-" + UUID.randomUUID();
                        unanswered.add(idempotencyKey);
                        ask(coordinator, credential, idempotencyKey, answered, unanswered, problems);
                    }
                });
            }
            clients.awaitTermination(RUN.toMillis(), TimeUnit.MILLISECONDS);
            coordinator.kill();
            running.set(false);
            clients.shutdownNow();
            clients.awaitTermination(30, TimeUnit.SECONDS);
            coordinator.close();
            System.out.printf("round %d: killed; %d answered so far, %d left unanswered by the kill%n", round,
                    answered.size(), unanswered.size());
        }
        System.out.printf("drill: %d rounds, %d requests answered, %d unanswered, %d problems%n", ROUNDS,
                answered.size(), unanswered.size(), problems.size());
        problems.forEach(problem -> System.out.println("  problem: " + problem));
        if (!problems.isEmpty() || !unanswered.isEmpty()) {
            throw new AssertionError(problems.size() + " problems, " + unanswered.size() + " requests unanswered");
        }
    }

    /** One chat request under {@code idempotencyKey}; a connection the kill broke leaves it unanswered. */
    private void ask(CoordinatorProcess coordinator, String credential, String idempotencyKey,
                     Map<String, String> answered, Set<String> unanswered, List<String> problems) {
        String body = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + idempotencyKey
                + "\"}],\"max_tokens\":20}";
        HttpResponse<String> response;
        try {
            response = coordinator.sendWith(credential, "/v1/chat/completions", body,
                    Map.of("Idempotency-Key", idempotencyKey));
        } catch (IOException broken) {
            return;
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            return;
        }
        int status = response.statusCode();
        if (status == 200) {
            String job = response.headers().firstValue("X-Archipelago-Job-Id").orElse("");
            String before = answered.putIfAbsent(idempotencyKey, job);
            if (before != null && !before.equals(job)) {
                synchronized (problems) {
                    problems.add(idempotencyKey + " answered by two jobs: " + before + " and " + job);
                }
            }
            unanswered.remove(idempotencyKey);
        } else if (status == 409 && response.body().contains("idempotency_key_abandoned")) {
            // the first request's node died before it answered: the exchange cannot tell what became of it
            unanswered.remove(idempotencyKey);
            abandoned.add(idempotencyKey);
        } else if (status == 409 || status == 503) {
            // the first request under the key still runs, or the exchange is not back yet: asked again later
            return;
        } else {
            unanswered.remove(idempotencyKey);
            synchronized (problems) {
                problems.add(idempotencyKey + ": " + status + " " + response.body());
            }
        }
    }

    private void check(CoordinatorProcess coordinator, Map<String, String> answered, Set<String> unanswered,
                       List<String> problems) throws Exception {
        long charged = 0;
        for (Map.Entry<String, String> request : answered.entrySet()) {
            JsonNode job = coordinator.get("/jobs/" + request.getValue());
            if (!job.path("status").asText().equals("COMPLETED")) {
                problems.add(request.getKey() + ": its acknowledged job " + request.getValue() + " is "
                        + job.path("status").asText());
            }
            charged += job.path("chargedMicroCredits").asLong();
        }
        JsonNode balance = coordinator.get("/accounts/consumer-1/balance");
        long available = balance.path("availableMicroCredits").asLong();
        long escrow = balance.path("escrowMicroCredits").asLong();
        System.out.printf("drill: %d jobs charged %d µcr; balance %d available, %d in escrow, of %d deposited%n",
                answered.size(), charged, available, escrow, DEPOSIT);
        long unacknowledged = DEPOSIT - available - escrow - charged;
        System.out.printf("drill: %d requests abandoned by a kill (no answer kept); %d µcr charged beyond the "
                + "acknowledged jobs%n", abandoned.size(), unacknowledged);
        if (unacknowledged < 0 || (abandoned.isEmpty() && unacknowledged != 0)) {
            problems.add("the balance (" + available + " + " + escrow + " in escrow) and the acknowledged jobs' "
                    + "charges (" + charged + ") do not add up to the deposit " + DEPOSIT);
        }
        if (!unanswered.isEmpty()) {
            problems.add(unanswered.size() + " requests were never answered");
        }
    }
}

package io.archipelago.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.WholeCoordinator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One whole coordinator (embedded PostgreSQL, NATS bridge) driven over HTTP with two consumers' keys: each consumer
 * resource of account A answers account B's key 404 (403 where the resource is B's own but the action the
 * operator's) and never a byte of A's data; missing, wrong and revoked credentials are 401; a key over its rate gets
 * 429 with Retry-After while another key is served; a body over the limit is 413 and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTest {

    private static final Duration READ_SIDE = Duration.ofSeconds(30);
    private static final String CARGO = "llm.access";
    private static final int BURST = 30;
    private static final int MAX_BODY = 64 * 1024;
    private static final int KEYS_PER_ACCOUNT = 3;
    private static final int BODIES_PER_ADDRESS = 3;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        // one request a second after a burst of 30: a hammering key runs dry within the test, a normal one never
        coordinator = WholeCoordinator.start(dataDir, Map.of(
                "archipelago.security.rate-limit.requests-per-second", 1,
                "archipelago.security.rate-limit.burst", BURST,
                "archipelago.security.max-body-bytes", MAX_BODY,
                "archipelago.security.keys-per-account", KEYS_PER_ACCOUNT,
                "archipelago.security.body-read-timeout", "2s",
                "archipelago.security.bodies-per-address", BODIES_PER_ADDRESS));
        url = WholeCoordinator.url(coordinator);
        operator("POST", "/cargos", "{\"cargo\":\"" + CARGO + "\",\"unit\":\"THOUSAND_TOKENS\","
                + "\"publisher\":\"publisher-1\",\"royaltyMicroCredits\":10}", 201);
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void everyConsumerResourceOfAnotherAccountAnswersAnotherKey404AndNoneOfItsData() throws Exception {
        String alice = account(50_000_000);
        String bob = account(50_000_000);
        String aliceKey = key(alice);
        String bobKey = key(bob);
        String job = alice + "-job";
        String alicePrefix = aliceKey.substring(0, ApiKeys.PREFIX_LENGTH);

        assertThat(call("PUT", "/jobs/" + job + "/input", aliceKey, "{\"prompt\":\"alice's secret\"}").statusCode())
                .isEqualTo(204);
        Answer bid = call("POST", "/markets/" + CARGO + "/bids", aliceKey, bid(job, alice));
        assertThat(bid.statusCode()).as(bid.body()).isEqualTo(201);
        await().atMost(READ_SIDE).until(() -> call("GET", "/jobs/" + job, aliceKey, null).statusCode() == 200);
        assertThat(call("GET", "/accounts/" + alice + "/balance", aliceKey, null).statusCode()).isEqualTo(200);
        await().atMost(READ_SIDE).until(() -> call("GET", "/markets/" + CARGO, aliceKey, null).statusCode() == 200);
        Answer batch = call("POST", "/batches", aliceKey, "{\"model\":\"" + CARGO + "\",\"inputs\":[{\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"alice's secret\"}]}]}");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        String batchId = json.readTree(batch.body()).path("id").asText();
        assertThat(call("GET", "/batches/" + batchId, aliceKey, null).statusCode()).isEqualTo(200);

        List<Answer> refused = List.of(
                call("GET", "/batches/" + batchId, bobKey, null),
                openStream("/batches/" + batchId + "/events", bobKey),
                call("GET", "/jobs/" + job, bobKey, null),
                openStream("/jobs/" + job + "/output", bobKey),
                call("PUT", "/jobs/" + job + "/input", bobKey, "{\"prompt\":\"bob's overwrite\"}"),
                call("GET", "/accounts/" + alice + "/balance", bobKey, null),
                call("GET", "/accounts/" + alice + "/keys", bobKey, null),
                call("POST", "/accounts/" + alice + "/keys", bobKey, null),
                call("DELETE", "/accounts/" + alice + "/keys/" + alicePrefix, bobKey, null),
                call("POST", "/markets/" + CARGO + "/bids", bobKey, bid(bob + "-as-alice", alice)),
                call("POST", "/accounts/" + alice + "/payouts", bobKey, "{\"amountMicroCredits\":1}"),
                call("POST", "/accounts/" + alice + "/payout-destination", bobKey,
                        "{\"stripeAccountId\":\"acct_bob\"}"),
                call("POST", "/accounts/" + alice + "/checkout", bobKey, "{\"wholeCredits\":10}"),
                call("POST", "/accounts/" + alice + "/deposits", bobKey, "{\"amountMicroCredits\":1}"));
        for (Answer response : refused) {
            assertThat(response.statusCode()).as(response.what()).isEqualTo(404);
            assertThat(response.body()).as(response.what())
                    .doesNotContain("secret", "availableMicroCredits", "RESTING", "limitMicroCredits", "createdAt");
        }
        // bob's own account, the operator's action: 403
        assertThat(call("POST", "/accounts/" + bob + "/deposits", bobKey, "{\"amountMicroCredits\":1}").statusCode())
                .isEqualTo(403);
        // alice's job id is alice's, in any market and however bob asks
        Answer taken = call("POST", "/markets/" + CARGO + "/bids", bobKey, bid(job, bob));
        assertThat(taken.statusCode()).isEqualTo(409);

        // nothing of alice's changed: her key works, her job is hers and resting, bob has no job, his key no power
        assertThat(call("GET", "/accounts/" + alice + "/keys", aliceKey, null).body()).contains(alicePrefix)
                .doesNotContain("revokedAt\":\"");
        JsonNode view = json.readTree(call("GET", "/jobs/" + job, aliceKey, null).body());
        assertThat(view.path("consumer").asText()).isEqualTo(alice);
        assertThat(jdbc().sql("SELECT account_id FROM job_claim WHERE job_id = :job").param("job", job)
                .query(String.class).single()).isEqualTo(alice);
        assertThat(jdbc().sql("SELECT count(*) FROM job_view WHERE consumer = :bob").param("bob", bob)
                .query(Long.class).single()).isZero();
        JsonNode balance = json.readTree(call("GET", "/accounts/" + alice + "/balance", aliceKey, null).body());
        assertThat(balance.path("availableMicroCredits").asLong() + balance.path("escrowMicroCredits").asLong())
                .isEqualTo(50_000_000);
    }

    @Test
    void aKeyListsItsAccountsKeysWithoutSecretsAndARevokedKeyIsRefusedAtOnce() throws Exception {
        String carol = account(0);
        String first = key(carol);
        Answer second = call("POST", "/accounts/" + carol + "/keys", first, null);
        assertThat(second.statusCode()).isEqualTo(201);
        String secondKey = json.readTree(second.body()).path("key").asText();

        JsonNode listed = json.readTree(call("GET", "/accounts/" + carol + "/keys", secondKey, null).body());
        assertThat(listed).hasSize(2);
        assertThat(listed.toString()).doesNotContain(first, secondKey, "sha256");
        assertThat(listed.findValuesAsText("prefix")).containsExactlyInAnyOrder(
                first.substring(0, ApiKeys.PREFIX_LENGTH), secondKey.substring(0, ApiKeys.PREFIX_LENGTH));
        assertThat(listed.get(0).path("createdAt").asText()).isNotEmpty();

        assertThat(call("DELETE", "/accounts/" + carol + "/keys/" + first.substring(0, ApiKeys.PREFIX_LENGTH),
                secondKey, null).statusCode()).isEqualTo(204);
        Answer revoked = call("GET", "/accounts/" + carol + "/balance", first, null);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/models", first, null).statusCode()).isEqualTo(401);
        JsonNode after = json.readTree(call("GET", "/accounts/" + carol + "/keys", secondKey, null).body());
        assertThat(after.findValues("revokedAt")).filteredOn(revokedAt -> !revokedAt.isNull()).hasSize(1);

        assertThat(operator("POST", "/accounts/never-opened-" + NAMES.incrementAndGet() + "/keys", null, 404))
                .contains("not open");
    }

    @Test
    void missingOrWrongCredentialsAre401InTheCallersDialect() throws Exception {
        Answer none = call("GET", "/markets", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(none.body()).path("status").asInt()).isEqualTo(401);

        Answer openAi = call("GET", "/v1/models", "ak-" + "x".repeat(43), null);
        assertThat(openAi.statusCode()).isEqualTo(401);
        assertThat(json.readTree(openAi.body()).path("error").path("code").asText()).isEqualTo("invalid_api_key");

        assertThat(call("GET", "/markets", "not-the-operator", null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/accounts", "test-operato", "{}").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
        // Stripe's webhook is public and verifies Stripe's signature itself (here Stripe is not even configured)
        assertThat(call("POST", "/stripe/webhooks", null, "{}").statusCode()).isNotEqualTo(401).isNotEqualTo(200);
    }

    @Test
    void aKeyMayActOnlyForItsOwnIslandsAndNeverAsOperator() throws Exception {
        String host = account(0);
        String other = account(0);
        String hostKey = key(host);
        String otherKey = key(other);
        String island = host + "-island";
        String register = "{\"islandId\":\"" + island + "\",\"owner\":\"%s\",\"country\":\"DE\",\"cargoTypes\":[\""
                + CARGO + "\"],\"slots\":1}";

        assertThat(call("POST", "/islands", otherKey, register.formatted(host)).statusCode()).isEqualTo(404);
        // a host cannot vouch for its own identity: verified comes from Stripe Identity or the operator only
        assertThat(call("POST", "/islands", hostKey, register.formatted(host).replace("\"slots\":1",
                "\"slots\":1,\"verified\":true")).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/islands", hostKey, register.formatted(host)).statusCode()).isEqualTo(201);
        String ask = "{\"islandId\":\"" + island + "\",\"priceMicroCredits\":1000}";
        assertThat(call("POST", "/markets/" + CARGO + "/asks", otherKey, ask).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/islands/" + island + "/online", otherKey, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/islands/" + island + "/session", otherKey, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/islands/" + island + "/online", hostKey, null).statusCode()).isEqualTo(204);
        assertThat(call("POST", "/markets/" + CARGO + "/asks", hostKey, ask).statusCode()).isEqualTo(201);
        assertThat(call("DELETE", "/markets/" + CARGO + "/asks/" + island, otherKey, null).statusCode())
                .isEqualTo(404);
        assertThat(call("GET", "/islands", otherKey, null).statusCode()).isEqualTo(200);

        assertThat(call("POST", "/islands/" + island + "/verify", hostKey, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/cargos", hostKey, "{}").statusCode()).isEqualTo(403);
        assertThat(call("POST", "/accounts", hostKey, "{\"accountId\":\"x\",\"country\":\"DE\"}").statusCode())
                .isEqualTo(403);
        assertThat(call("GET", "/admin/dead-letters", hostKey, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aKeyOverItsRateIs429WithRetryAfterWhileAnotherKeyIsServed() throws Exception {
        String hammering = key(account(0));
        String calm = key(account(0));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<Answer>> hammered = threads.submit(() -> {
                List<Answer> responses = new ArrayList<>();
                for (int i = 0; i < BURST * 2; i++) {
                    responses.add(call("GET", "/markets", hammering, null));
                }
                responses.add(call("GET", "/v1/models", hammering, null));
                return responses;
            });
            Future<List<Integer>> served = threads.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < BURST / 2; i++) {
                    statuses.add(call("GET", "/markets", calm, null).statusCode());
                }
                return statuses;
            });
            List<Answer> responses = hammered.get();
            assertThat(served.get()).containsOnly(200);

            List<Answer> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(responses.stream().filter(r -> r.statusCode() == 200).count())
                    .isBetween((long) BURST, (long) BURST + 5);
            assertThat(limited).isNotEmpty().allSatisfy(response ->
                    assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()))
                            .isBetween(1L, 2L));
            JsonNode problem = json.readTree(limited.get(0).body());
            assertThat(problem.path("status").asInt()).isEqualTo(429);
            Answer openAi = responses.get(responses.size() - 1);
            assertThat(openAi.statusCode()).isEqualTo(429);
            JsonNode error = json.readTree(openAi.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(error.path("type").asText()).isEqualTo("requests");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void keysAnAccountIssuesItselfShareItsRateAndAreFewAtMost() throws Exception {
        String frank = account(0);
        List<String> keys = new ArrayList<>(List.of(key(frank)));
        for (int i = 1; i < KEYS_PER_ACCOUNT; i++) {
            Answer minted = call("POST", "/accounts/" + frank + "/keys", keys.get(0), null);
            assertThat(minted.statusCode()).isEqualTo(201);
            keys.add(json.readTree(minted.body()).path("key").asText());
        }
        Answer oneTooMany = call("POST", "/accounts/" + frank + "/keys", keys.get(0), null);
        assertThat(oneTooMany.statusCode()).as(oneTooMany.body()).isEqualTo(409);
        assertThat(json.readTree(oneTooMany.body()).path("code").asText()).isEqualTo("too_many_keys");

        // the burst is the account's, whichever of its keys spends it (three went on issuing keys)
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < BURST * 2; i++) {
            statuses.add(call("GET", "/markets", keys.get(i % keys.size()), null).statusCode());
        }
        assertThat(statuses.stream().filter(status -> status == 200).count()).isBetween((long) BURST - 3,
                (long) BURST + 2);
        assertThat(statuses).contains(429);
    }

    @Test
    void failedAuthenticationsFromOneAddressAreLimitedWhileOthersAreServed() throws Exception {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            answers.add(rawExchange("GET /markets HTTP/1.1\r\nAuthorization: Bearer ak-wrongwrongwrong" + i,
                    "127.0.0.2"));
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 4"));
        assertThat(answers.subList(0, 20)).allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 401"));
        assertThat(answers.get(24)).startsWith("HTTP/1.1 429").contains("too many failed authentications")
                .containsIgnoringCase("Retry-After: ");
        // a good credential from another address is not held back
        assertThat(call("GET", "/markets", TestCredentials.OPERATOR_TOKEN, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTricklingBodyHoldsItsThreadOnlyUntilItsTimeAndOneAddressOnlyAFew() throws Exception {
        List<Socket> trickling = new ArrayList<>();
        try {
            for (int i = 0; i <= BODIES_PER_ADDRESS; i++) {
                Socket socket = new Socket(url.getHost(), url.getPort(), InetAddress.getByName("127.0.0.3"), 0);
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(("POST /stripe/webhooks HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                        .getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                trickling.add(socket);
            }
            long started = System.nanoTime();
            ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
            drip.scheduleAtFixedRate(() -> trickling.forEach(socket -> {
                try {
                    socket.getOutputStream().write(' ');
                    socket.getOutputStream().flush();
                } catch (IOException closed) {
                    // answered and closed by the coordinator
                }
            }), 300, 300, TimeUnit.MILLISECONDS);
            try {
                List<String> answers = new ArrayList<>();
                for (Socket socket : trickling) {
                    answers.add(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                assertThat(answers).filteredOn(answer -> answer.startsWith("HTTP/1.1 429")).hasSize(1)
                        .allSatisfy(answer -> assertThat(answer).contains("sending as many request bodies"));
                assertThat(answers).filteredOn(answer -> answer.startsWith("HTTP/1.1 408"))
                        .hasSize(BODIES_PER_ADDRESS)
                        .allSatisfy(answer -> assertThat(answer).contains("did not arrive whole within 2 s"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("each body's time is bounded")
                        .isLessThan(Duration.ofSeconds(15));
                assertThat(call("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
            } finally {
                drip.shutdownNow();
            }
        } finally {
            for (Socket socket : trickling) {
                socket.close();
            }
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndChangesNothing() throws Exception {
        String dave = account(10_000_000);
        String daveKey = key(dave);
        String padded = "{\"jobId\":\"" + dave + "-big\",\"consumer\":\"" + dave + "\",\"limitMicroCredits\":1000,"
                + "\"maxUnits\":10,\"jurisdiction\":\"" + " ".repeat(MAX_BODY) + "EU\"}";

        Answer sized = call("POST", "/markets/" + CARGO + "/bids", daveKey, padded);
        assertThat(sized.statusCode()).isEqualTo(413);
        // chunked: no Content-Length to go by, the bytes are counted as they come
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(url.resolve("/markets/" + CARGO + "/bids"))
                .header("Authorization", "Bearer " + daveKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(padded.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        Answer openAi = call("POST", "/v1/chat/completions", daveKey,
                "{\"model\":\"" + CARGO + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + "x".repeat(MAX_BODY) + "\"}]}");
        assertThat(openAi.statusCode()).isEqualTo(413);
        assertThat(json.readTree(openAi.body()).path("error").path("code").asText()).isEqualTo("request_too_large");

        assertThat(call("GET", "/jobs/" + dave + "-big", daveKey, null).statusCode()).isEqualTo(404);
        assertThat(jdbc().sql("SELECT count(*) FROM job_claim WHERE account_id = :dave").param("dave", dave)
                .query(Long.class).single()).isZero();
        JsonNode balance = json.readTree(call("GET", "/accounts/" + dave + "/balance", daveKey, null).body());
        assertThat(balance.path("availableMicroCredits").asLong()).isEqualTo(10_000_000);
        assertThat(balance.path("escrowMicroCredits").asLong()).isZero();
    }

    @Test
    void aRequestOutOfShapeIsRefusedInTheApiErrorShapeAndLeavesNoTrace() throws Exception {
        String erin = account(10_000_000);
        String erinKey = key(erin);
        Answer badId = call("PUT", "/jobs/a%20b/input", erinKey, "{\"prompt\":\"x\"}");
        assertProblem(badId, 400, "a job id is");
        Answer longId = call("GET", "/jobs/" + "j".repeat(65) + "/output", erinKey, null);
        assertProblem(longId, 400, "a job id is");
        assertThat(jdbc().sql("SELECT count(*) FROM job_claim WHERE account_id = :erin").param("erin", erin)
                .query(Long.class).single()).as("no job id claimed by a refused request").isZero();
        assertProblem(call("GET", "/markets/" + CARGO + "/candles?resolution=%00", erinKey, null), 400,
                "control character");
        assertThat(rawExchange("GET /markets/" + CARGO + "/candles?resolution=%zz HTTP/1.1\r\nAuthorization: Bearer "
                + erinKey)).startsWith("HTTP/1.1 400").contains("not percent-encoded");
        assertProblem(call("GET", "/markets/" + CARGO + "/candles?to=9223372036854775807", erinKey, null), 400,
                "from and to lie between");

        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(url.resolve("/markets/" + CARGO + "/bids"))
                .header("Authorization", "Bearer " + erinKey).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(bid(erin + "-plain", erin))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(415);
        assertThat(plain.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(url.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + erinKey)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("model=" + CARGO)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(json.readTree(form.body()).path("error").path("code").asText()).isEqualTo("unsupported_media_type");
        JsonNode chat = json.readTree(call("POST", "/v1/chat/completions", erinKey,
                "{\"model\":\"llm\\u0000chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body());
        assertThat(chat.path("error").path("code").asText()).isEqualTo("model_not_found");
        JsonNode embeddings = json.readTree(call("POST", "/v1/embeddings", erinKey,
                "{\"model\":\"" + CARGO + "\",\"input\":\"hi\"}").body());
        assertThat(embeddings.path("error").path("code").asText()).isEqualTo("model_not_supported");

        // what Tomcat refuses before any filter runs is still in the API's shape, not an HTML page
        for (String raw : List.of("GET /jobs/a%2Fb/output HTTP/1.1", "CONNECT /v1/models HTTP/1.1",
                "GET /v1/models HTTP/1.1\r\nX-Big: " + "a".repeat(20_000))) {
            String answer = rawExchange(raw);
            assertThat(answer).as(raw.substring(0, Math.min(raw.length(), 40))).startsWith("HTTP/1.1 ");
            int status = Integer.parseInt(answer.substring(9, 12));
            assertThat(status).as(answer).isBetween(400, 599);
            assertThat(answer).as(answer).containsIgnoringCase("Content-Type: application/")
                    .doesNotContain("<html").contains("the request was refused before it reached the exchange");
        }
        JsonNode balance = json.readTree(call("GET", "/accounts/" + erin + "/balance", erinKey, null).body());
        assertThat(balance.path("availableMicroCredits").asLong()).isEqualTo(10_000_000);
        assertThat(balance.path("escrowMicroCredits").asLong()).isZero();
    }

    private void assertProblem(Answer answer, int status, String detail) throws Exception {
        assertThat(answer.statusCode()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(answer.body()).path("detail").asText()).contains(detail);
    }

    /** The whole answer to {@code requestHead} sent as it is over a socket: what no HTTP client library sends. */
    private String rawExchange(String requestHead) throws Exception {
        return rawExchange(requestHead, "127.0.0.1");
    }

    /** The same, sent from {@code localAddress}: a client address of its own, with limits of its own. */
    private String rawExchange(String requestHead, String localAddress) throws Exception {
        try (Socket socket = new Socket(url.getHost(), url.getPort(), InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestHead + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A new account with {@code credits} micro-credits, its balance visible on the read side. */
    private String account(long credits) throws Exception {
        String account = "acct-" + NAMES.incrementAndGet();
        operator("POST", "/accounts", "{\"accountId\":\"" + account + "\",\"country\":\"DE\"}", 201);
        if (credits > 0) {
            operator("POST", "/accounts/" + account + "/deposits", "{\"amountMicroCredits\":" + credits + "}", 201);
        }
        await().atMost(READ_SIDE).until(() -> call("GET", "/accounts/" + account + "/balance",
                TestCredentials.OPERATOR_TOKEN, null).body().contains("\"availableMicroCredits\":" + credits));
        return account;
    }

    private String key(String account) throws Exception {
        return json.readTree(operator("POST", "/accounts/" + account + "/keys", null, 201)).path("key").asText();
    }

    private static String bid(String jobId, String consumer) {
        return "{\"jobId\":\"" + jobId + "\",\"consumer\":\"" + consumer + "\",\"limitMicroCredits\":1000,"
                + "\"maxUnits\":10}";
    }

    private String operator(String method, String path, @Nullable String body, int status) throws Exception {
        Answer response = call(method, path, TestCredentials.OPERATOR_TOKEN, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(status);
        return response.body();
    }

    private Answer call(String method, String path, @Nullable String credential, @Nullable String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(method + " " + path, response.statusCode(), response.headers(), response.body());
    }

    /** The answer to opening an event stream that is refused (an accepted one sends nothing until the job does). */
    private Answer openStream(String path, String key) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            return new Answer("GET " + path, response.statusCode(), response.headers(), response.statusCode() == 200
                    ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private JdbcClient jdbc() {
        return coordinator.getBean(JdbcClient.class);
    }

    /** What a call answered, and which call it was. */
    private record Answer(String what, int statusCode, HttpHeaders headers, String body) {
    }
}

package io.archipelago.access;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.archipelago.projections.market.MarketViews;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * {@code Idempotency-Key} against a whole coordinator with its demo Islands: a retry with the same key gets the same
 * job, streamed or whole, and the account is charged once; another request under the key is 409; another account's
 * key of the same name is its own; the official openai client retrying through a proxy that lost the first response
 * leaves one job and one charge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyTest {

    private static final String MODEL = WholeCoordinator.DEMO_MODEL;
    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long DEPOSIT = MicroCredits.credits(10).value();
    private static final String JOB = "X-Archipelago-Job-Id";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger accounts = new AtomicInteger();

    private @Nullable ConfigurableApplicationContext coordinator;
    private URI url = URI.create("http://127.0.0.1");

    @BeforeAll
    void start(@TempDir Path dataDir) {
        coordinator = WholeCoordinator.withDemoIslands(dataDir, Map.of("archipelago.openai.resting-wait", "1s"));
        url = WholeCoordinator.url(coordinator);
    }

    @AfterAll
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void aRetryWithTheSameKeyGetsTheSameWholeCompletionAndIsChargedOnce() throws Exception {
        String account = openAccount();
        String key = issueKey(account);
        String body = chat("whole once please", false);

        HttpResponse<String> first = post("/v1/chat/completions", key, "whole-1", body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String job = first.headers().firstValue(JOB).orElseThrow();
        long charged = settledCharge(account);

        HttpResponse<String> retry = post("/v1/chat/completions", key, "whole-1", body);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue(JOB)).hasValue(job);
        assertThat(retry.headers().firstValue(IdempotencyFilter.REPLAYED)).hasValue("true");
        assertThat(retry.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(retry.body()).isEqualTo(first.body());
        assertChargedOnce(account, charged, job);
    }

    @Test
    void aRetryOfAStreamReplaysTheWholeEventStreamAndIsChargedOnce() throws Exception {
        String account = openAccount();
        String key = issueKey(account);
        String body = chat("stream once please", true);

        HttpResponse<String> first = post("/v1/chat/completions", key, "stream-1", body);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).endsWith("data: [DONE]\n\n");
        String job = first.headers().firstValue(JOB).orElseThrow();
        long charged = settledCharge(account);

        HttpResponse<String> retry = post("/v1/chat/completions", key, "stream-1", body);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(retry.headers().firstValue(JOB)).hasValue(job);
        assertThat(retry.body()).isEqualTo(first.body());
        assertChargedOnce(account, charged, job);
    }

    @Test
    void aRetryOfAStreamWhoseClientWentAwayGetsWhatItStreamedAndNoSecondJob() throws Exception {
        String account = openAccount();
        String key = issueKey(account);
        String body = chat("gone before the end", true);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nIdempotency-Key: gone-1\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            // the answer has begun: the job is placed and streaming; the client goes away
            assertThat(socket.getInputStream().read()).isNotNegative();
        }

        HttpResponse<String> retry = post("/v1/chat/completions", key, "gone-1", body);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue(IdempotencyFilter.REPLAYED)).hasValue("true");
        String job = retry.headers().firstValue(JOB).orElseThrow();
        // cut short (the usual case) it ends with an error event; written whole before the cut was noticed, as usual
        assertThat(retry.body()).satisfiesAnyOf(
                replayed -> assertThat(replayed).contains("\"code\":\"stream_interrupted\"").endsWith("}}\n\n"),
                replayed -> assertThat(replayed).endsWith("data: [DONE]\n\n"));
        AccountBalances balances = coordinator.getBean(AccountBalances.class);
        await().atMost(WAIT).until(() -> balances.find(account).orElseThrow().escrowMicroCredits() == 0);
        assertOnlyJobs(account, List.of(job));
    }

    @Test
    void embeddingsAndBatchesRetriedWithTheirKeysAreTheirFirstJobs() throws Exception {
        MarketViews markets = coordinator.getBean(MarketViews.class);
        await().atMost(WAIT).until(() -> markets.find("embeddings.minilm")
                .map(market -> market.onlineAsks() > 0).orElse(false));
        String account = openAccount();
        String key = issueKey(account);
        String embed = "{\"model\":\"embeddings.minilm\",\"input\":\"kept once\"}";
        HttpResponse<String> first = post("/v1/embeddings", key, "embed-1", embed);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        long charged = settledCharge(account);
        HttpResponse<String> retry = post("/v1/embeddings", key, "embed-1", embed);
        assertThat(retry.body()).isEqualTo(first.body());
        assertChargedOnce(account, charged, first.headers().firstValue(JOB).orElseThrow());

        String batcher = openAccount();
        String batcherKey = issueKey(batcher);
        String batch = "{\"model\":\"" + MODEL + "\",\"inputs\":[{\"messages\":[{\"role\":\"user\","
                + "\"content\":\"one batch\"}]}]}";
        HttpResponse<String> created = post("/batches", batcherKey, "batch-1", batch);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        HttpResponse<String> again = post("/batches", batcherKey, "batch-1", batch);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Location")).isEqualTo(created.headers().firstValue("Location"));
        assertThat(again.body()).isEqualTo(created.body());
        settledCharge(batcher);
        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        // a second job would be on the read side within milliseconds of its bid: none appears for half a second
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> jdbc.sql(
                "SELECT count(*) FROM job_view WHERE consumer = :account").param("account", batcher)
                .query(Long.class).single() == 1);
    }

    @Test
    void retriesAtOnceWaitForTheFirstAndGetItsJob() throws Exception {
        String account = openAccount();
        String key = issueKey(account);
        String body = chat("all at once please", true);

        List<CompletableFuture<HttpResponse<String>>> sent = List.of(
                postAsync("/v1/chat/completions", key, "together-1", body),
                postAsync("/v1/chat/completions", key, "together-1", body),
                postAsync("/v1/chat/completions", key, "together-1", body));
        List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
        String job = answers.get(0).headers().firstValue(JOB).orElseThrow();
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.headers().firstValue(JOB)).hasValue(job);
            assertThat(answer.body()).isEqualTo(answers.get(0).body());
        });
        assertChargedOnce(account, settledCharge(account), job);
    }

    @Test
    void theSameKeyForAnotherRequestIsRefusedAndChangesNothing() throws Exception {
        String account = openAccount();
        String key = issueKey(account);
        HttpResponse<String> first = post("/v1/chat/completions", key, "reused-1", chat("first words", false));
        assertThat(first.statusCode()).isEqualTo(200);
        long charged = settledCharge(account);

        HttpResponse<String> other = post("/v1/chat/completions", key, "reused-1", chat("other words", false));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.headers().firstValue("x-should-retry")).hasValue("false");
        JsonNode error = json.readTree(other.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");

        HttpResponse<String> elsewhere = post("/v1/embeddings", key, "reused-1",
                "{\"model\":\"embeddings.minilm\",\"input\":\"first words\"}");
        assertThat(elsewhere.statusCode()).isEqualTo(409);
        assertChargedOnce(account, charged, first.headers().firstValue(JOB).orElseThrow());
    }

    @Test
    void anotherAccountsKeyOfTheSameNameIsItsOwn() throws Exception {
        String alice = openAccount();
        String bob = openAccount();
        String body = chat("same words", false);

        HttpResponse<String> fromAlice = post("/v1/chat/completions", issueKey(alice), "shared-name", body);
        HttpResponse<String> fromBob = post("/v1/chat/completions", issueKey(bob), "shared-name", body);

        assertThat(fromAlice.statusCode()).isEqualTo(200);
        assertThat(fromBob.statusCode()).isEqualTo(200);
        assertThat(fromBob.headers().firstValue(IdempotencyFilter.REPLAYED)).isEmpty();
        assertThat(fromBob.headers().firstValue(JOB)).isNotEqualTo(fromAlice.headers().firstValue(JOB));
        assertChargedOnce(alice, settledCharge(alice), fromAlice.headers().firstValue(JOB).orElseThrow());
        assertChargedOnce(bob, settledCharge(bob), fromBob.headers().firstValue(JOB).orElseThrow());
    }

    @Test
    void aBidRetriedWithItsKeyGetsItsFirstAnswerAndAnotherBidUnderItAProblem() throws Exception {
        String account = openAccount();
        String key = issueKey(account);
        String job = "idem-bid-" + UUID.randomUUID();
        String bid = "{\"jobId\":\"" + job + "\",\"consumer\":\"" + account + "\",\"limitMicroCredits\":1000000,"
                + "\"maxUnits\":10}";

        HttpResponse<String> first = post("/markets/" + MODEL + "/bids", key, "bid-1", bid);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        HttpResponse<String> retry = post("/markets/" + MODEL + "/bids", key, "bid-1", bid);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(retry.body()).isEqualTo(first.body());

        HttpResponse<String> other = post("/markets/" + MODEL + "/bids", key, "bid-1", bid.replace(job, job + "-2"));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json.readTree(other.body()).path("detail").asText()).contains("Idempotency-Key");
    }

    @Test
    void aKeyOlderThanADayIsSweptAndMayBeUsedAgain() throws Exception {
        IdempotencyKeys keys = coordinator.getBean(IdempotencyKeys.class);
        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        assertThat(keys.claim("account:idem-old", "old-1", "first")).isEmpty();
        keys.answer("account:idem-old", "old-1", 200, "application/json", Map.of(), new byte[] {'{', '}'});
        assertThat(keys.claim("account:idem-old", "old-1", "second")).hasValueSatisfying(row ->
                assertThat(row.state()).isEqualTo(IdempotencyKeys.State.ANSWERED));

        jdbc.sql("UPDATE idempotency_key SET created_at = created_at - interval '25 hours' WHERE scope = :scope")
                .param("scope", "account:idem-old").update();
        assertThat(keys.claim("account:idem-old", "old-1", "second")).isEmpty();
        jdbc.sql("UPDATE idempotency_key SET created_at = created_at - interval '25 hours' WHERE scope = :scope")
                .param("scope", "account:idem-old").update();
        assertThat(keys.sweep()).isPositive();
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_key WHERE scope = :scope")
                .param("scope", "account:idem-old").query(Long.class).single()).isZero();
    }

    @Test
    void aKeyThatIsNotOneKeyIsRefused() throws Exception {
        String key = issueKey(openAccount());
        String body = chat("never run", false);

        HttpResponse<String> tooLong = post("/v1/chat/completions", key, "k".repeat(256), body);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json.readTree(tooLong.body()).path("error").path("code").asText())
                .isEqualTo("invalid_idempotency_key");

        HttpResponse<String> twice = http.send(HttpRequest.newBuilder(url.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header(IdempotencyFilter.HEADER, "a").header(IdempotencyFilter.HEADER, "b")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(IdempotencyFilter.invalid(List.of("tab\there"))).isPresent();
        assertThat(IdempotencyFilter.invalid(List.of("stainless-node-retry-1f0e"))).isEmpty();
    }

    @Test
    void theOfficialClientRetryingALostResponseLeavesOneJobAndOneCharge() throws Exception {
        assertThat(NODE_DIR.resolve("node_modules/openai")).as("run: npm ci --prefix coordinator/src/test/node")
                .isDirectory();
        String account = openAccount();
        String key = issueKey(account);
        try (DroppingProxy proxy = new DroppingProxy(url.getPort())) {
            ProcessBuilder builder = new ProcessBuilder("node", "idempotency.mjs").directory(NODE_DIR.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("BASE_URL", "http://127.0.0.1:" + proxy.port());
            builder.environment().put("API_KEY", key);
            builder.environment().put("MODEL", MODEL);
            builder.environment().put("IDEMPOTENCY_KEY", "lost-" + UUID.randomUUID());
            Process node = builder.start();
            byte[] output = node.getInputStream().readAllBytes();
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String printed = new String(output, StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(printed).isZero();
            JsonNode result = json.readTree(printed);

            assertThat(proxy.dropped()).isEqualTo(1);
            assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
            assertThat(result.path("content").asText()).endsWith("heard 4 words: world new brave hello.");
            assertThat(result.path("replayed").asText()).isEqualTo("true");
            assertChargedOnce(account, settledCharge(account), result.path("job").asText());
        }
    }

    /** Waits until the account's jobs are settled; what they cost it. */
    private long settledCharge(String account) {
        AccountBalances balances = coordinator.getBean(AccountBalances.class);
        await().atMost(WAIT).until(() -> balances.find(account)
                .map(balance -> balance.escrowMicroCredits() == 0 && balance.availableMicroCredits() < DEPOSIT)
                .orElse(false));
        return DEPOSIT - balances.find(account).orElseThrow().availableMicroCredits();
    }

    /** The account has exactly one job, {@code job}, and paid {@code charged} for it, a moment later still. */
    private void assertChargedOnce(String account, long charged, String job) {
        assertOnlyJobs(account, List.of(job));
        AccountBalanceView balance = coordinator.getBean(AccountBalances.class).find(account).orElseThrow();
        assertThat(balance.escrowMicroCredits()).isZero();
        assertThat(DEPOSIT - balance.availableMicroCredits()).isEqualTo(charged).isPositive();
    }

    /**
     * The account's jobs are exactly {@code jobs}, and stay so for half a second: a second job would be on the read
     * side within milliseconds of its bid.
     */
    private void assertOnlyJobs(String account, List<String> jobs) {
        JdbcClient jdbc = coordinator.getBean(JdbcClient.class);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> jdbc.sql(
                "SELECT job_id FROM job_view WHERE consumer = :account").param("account", account)
                .query(String.class).list(), List.copyOf(jobs)::equals);
    }

    private String chat(String words, boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + words + "\"}]}";
    }

    private String openAccount() {
        String account = "idem-" + accounts.incrementAndGet();
        CommandGateway gateway = coordinator.getBean(CommandGateway.class);
        Clock clock = coordinator.getBean(Clock.class);
        gateway.sendAndWait(new OpenAccount(new AccountId(account), Country.of("DE"), clock.instant()));
        gateway.sendAndWait(new DepositCredits(new AccountId(account), "deposit-" + account,
                MicroCredits.of(DEPOSIT), clock.instant()));
        AccountBalances balances = coordinator.getBean(AccountBalances.class);
        await().atMost(WAIT).until(() -> balances.find(account)
                .map(balance -> balance.availableMicroCredits() == DEPOSIT).orElse(false));
        return account;
    }

    private String issueKey(String account) throws Exception {
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(url.resolve("/accounts/" + account + "/keys"))
                .header("Authorization", "Bearer " + TestCredentials.OPERATOR_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return json.readTree(issued.body()).path("key").asText();
    }

    private HttpResponse<String> post(String path, String key, String idempotencyKey, String body) throws Exception {
        return http.send(request(path, key, idempotencyKey, body), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, String key, String idempotencyKey,
                                                              String body) {
        return http.sendAsync(request(path, key, idempotencyKey, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String key, String idempotencyKey, String body) {
        return HttpRequest.newBuilder(url.resolve(path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header(IdempotencyFilter.HEADER, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /**
     * A TCP proxy to the coordinator that loses the first response: on its first connection it forwards the request
     * and, as soon as the coordinator starts answering, closes both sides without passing a byte back, as a network
     * that drops a connection mid-call does. Later connections pass both ways.
     */
    private static final class DroppingProxy implements AutoCloseable {

        private final ServerSocket server;
        private final int target;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger dropped = new AtomicInteger();
        private final Thread acceptor;

        DroppingProxy(int target) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.target = target;
            this.acceptor = new Thread(this::accept, "dropping-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        int dropped() {
            return dropped.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    boolean drop = connections.incrementAndGet() == 1;
                    pump(client, upstream, false, client, upstream);
                    pump(upstream, client, drop, client, upstream);
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean drop, Socket client, Socket upstream) {
            Thread pumping = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                        if (drop) {
                            dropped.incrementAndGet();
                            return;
                        }
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                } catch (IOException closed) {
                    // either side went away: the other is closed below
                } finally {
                    closeQuietly(client);
                    closeQuietly(upstream);
                }
            }, "dropping-proxy-pump");
            pumping.setDaemon(true);
            pumping.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that was asked
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}

package io.archipelago.coordinator.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.archipelago.coordinator.CoordinatorApplication;
import io.archipelago.access.TestCredentials;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandVerificationFailed;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.ledger.Bucket;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Money in and out through the whole coordinator: a card deposit by signed webhook, a verified-only job that waits
 * for its host's identity check, the host's earnings paid out by a transfer whose first answer is lost, the transfer
 * reversed, and every event replayed through the ledger from PostgreSQL.
 */
class StripeMoneyFlowTest {

    private static final String SECRET = "whsec_e2e";
    private static final Country GERMANY = Country.of("DE");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    static Path dataDir;

    private static final Map<String, String> OPERATOR = Map.of("Authorization", TestCredentials.OPERATOR);

    private static WireMockServer stripe;
    private static ConfigurableApplicationContext coordinator;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() {
        stripe = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        stripe.start();
        // command-line arguments: they outrank the application.yml defaults (port, data directory, PostgreSQL port)
        coordinator = new SpringApplicationBuilder(CoordinatorApplication.class).run(
                "--server.port=0",
                "--archipelago.bridge.enabled=false",
                "--archipelago.data-dir=" + dataDir,
                "--" + TestCredentials.PROPERTY + "=" + TestCredentials.OPERATOR_TOKEN,
                "--archipelago.postgres.port=0",
                "--archipelago.postgres.durable=false",
                "--logging.level.io.zonky=WARN",
                "--logging.level.org.axonframework=WARN",
                "--logging.level.org.flywaydb=WARN",
                "--STRIPE_API_KEY=sk_test_e2e",
                "--STRIPE_WEBHOOK_SECRET=" + SECRET,
                "--STRIPE_API_BASE=http://127.0.0.1:" + stripe.port(),
                "--archipelago.payments.network-retries=0",
                "--archipelago.payments.read-timeout=700ms",
                "--archipelago.payouts.retry-interval=300ms",
                "--archipelago.payouts.check-interval=1h");
        base = "http://127.0.0.1:" + ((ServletWebServerApplicationContext) coordinator).getWebServer().getPort();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
        if (stripe != null) {
            stripe.stop();
        }
    }

    private static <R> R send(Object command) {
        return coordinator.getBean(CommandGateway.class).sendAndWait(command, 60, TimeUnit.SECONDS);
    }

    private static List<Object> payloads() {
        List<Object> all = new ArrayList<>();
        try (Stream<? extends TrackedEventMessage<?>> stream = coordinator.getBean(EventStorageEngine.class)
                .readEvents(null, false)) {
            stream.map(EventMessage::getPayload).forEach(all::add);
        }
        return all;
    }

    private static <E> List<E> events(Class<E> type) {
        return payloads().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static HttpResponse<String> postJson(String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> webhook(String payload, long signedAt, String secret) throws Exception {
        return postJson("/stripe/webhooks", payload, Map.of("Stripe-Signature", sign(payload, secret, signedAt)));
    }

    private static HttpResponse<String> webhook(String payload) throws Exception {
        return webhook(payload, Instant.now().getEpochSecond(), SECRET);
    }

    private static String sign(String payload, String secret, long at) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + at + ",v1=" + HexFormat.of().formatHex(
                mac.doFinal((at + "." + payload).getBytes(StandardCharsets.UTF_8)));
    }

    private static String event(String id, String type, String object) {
        return """
                {"id":"%s","object":"event","api_version":"2020-08-27","created":1767225600,"type":"%s",
                 "data":{"object":%s}}""".formatted(id, type, object);
    }

    private static String transfer(String id, AccountId account, String payoutId, long cents, long reversed) {
        return """
                {"id":"%s","object":"transfer","amount":%d,"amount_reversed":%d,"reversed":%s,"currency":"usd",
                 "destination":"acct_e2e","metadata":{"account_id":"%s","payout_id":"%s"}}"""
                .formatted(id, cents, reversed, reversed >= cents, account, payoutId);
    }

    @Test
    void moneyComesInByCardGoesOutByTransferAndComesBackWhenReversedWithTheLedgerBalancedThroughout()
            throws Exception {
        CargoType cargo = new CargoType("llm.e2e-payments");
        AccountId consumer = new AccountId("e2e-consumer");
        AccountId host = new AccountId("e2e-host");
        IslandId island = new IslandId("e2e-island");
        JobId job = new JobId("e2e-job");
        send(new RegisterCargo(cargo, CargoUnit.THOUSAND_TOKENS, new AccountId("e2e-publisher"), PricePerUnit.of(10),
                T0));
        send(new OpenAccount(consumer, GERMANY, T0));
        send(new OpenAccount(host, GERMANY, T0));
        send(new RegisterIsland(island, host, GERMANY, Set.of(cargo), 1, AvailabilitySchedule.ALWAYS, false, T0));
        send(new BringIslandOnline(island, T0));
        send(new RecordIslandRtt(island, 2_000, T0));
        send(new PlaceAsk(cargo, island, PricePerUnit.of(MicroCredits.PER_CREDIT), T0));

        // Money in: a paid Checkout Session, delivered twice, deposits its 1,000 cents as 1,000 credits once.
        String paid = event("evt_e2e_paid", "checkout.session.completed", """
                {"id":"cs_e2e","object":"checkout.session","payment_status":"paid","amount_total":1000,
                 "currency":"usd","client_reference_id":"e2e-consumer",
                 "metadata":{"account_id":"e2e-consumer","credits":"1000"}}""");
        assertThat(webhook(paid).statusCode()).isEqualTo(200);
        assertThat(webhook(paid).body()).contains("\"duplicate\":true");
        assertThat(events(CreditsDeposited.class)).singleElement()
                .satisfies(d -> assertThat(d.amount()).isEqualTo(MicroCredits.credits(1_000)));

        // Forged and stale deliveries change nothing.
        int before = payloads().size();
        String forged = event("evt_e2e_forged", "checkout.session.completed", """
                {"id":"cs_forged","object":"checkout.session","payment_status":"paid","amount_total":99999,
                 "currency":"usd","metadata":{"account_id":"e2e-consumer"}}""");
        assertThat(webhook(forged, Instant.now().getEpochSecond(), "whsec_forger").statusCode()).isEqualTo(400);
        assertThat(webhook(forged, Instant.now().minusSeconds(900).getEpochSecond(), SECRET).statusCode())
                .isEqualTo(400);
        assertThat(payloads()).hasSize(before);

        // A job for verified hosts only waits until the host's identity check succeeds (stamped now by the webhook,
        // so the bid is submitted now too, or it would have expired by then).
        Instant submitted = Instant.now();
        BidOutcome outcome = send(new SubmitBid(cargo, job, consumer, PricePerUnit.of(2 * MicroCredits.PER_CREDIT),
                300, null, null, null, true, Duration.ofHours(1), submitted));
        assertThat(outcome.status()).isEqualTo(BidOutcome.Status.RESTING);
        stripe.stubFor(post(urlEqualTo("/v1/identity/verification_sessions")).willReturn(okJson(
                "{\"id\":\"vs_e2e\",\"object\":\"identity.verification_session\","
                        + "\"url\":\"https://verify.test/e2e\"}")));
        // payments knows the Island once the read side does
        await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(
                URI.create(base + "/islands/" + island)).header("Authorization", TestCredentials.OPERATOR).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        HttpResponse<String> started = postJson("/islands/" + island + "/verification", "", OPERATOR);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(started.body()).contains("https://verify.test/e2e");
        String session = """
                {"id":"vs_e2e","object":"identity.verification_session","status":"%s",
                 "metadata":{"island_id":"e2e-island"}}""";
        assertThat(webhook(event("evt_e2e_input", "identity.verification_session.requires_input",
                session.formatted("requires_input"))).statusCode()).isEqualTo(200);
        assertThat(events(IslandVerificationFailed.class)).hasSize(1);
        assertThat(events(JobPlaced.class)).isEmpty();
        assertThat(webhook(event("evt_e2e_verified", "identity.verification_session.verified",
                session.formatted("verified"))).statusCode()).isEqualTo(200);
        assertThat(events(JobPlaced.class)).singleElement()
                .satisfies(placed -> assertThat(placed.islandId()).isEqualTo(island));

        send(new StartJob(cargo, job, 1_000, Instant.now()));
        send(new CompleteJob(cargo, job, 300, Instant.now()));

        // Money out: Stripe executes the first transfer but its answer is lost; the retry sends the same key.
        assertThat(postJson("/accounts/" + host + "/payout-destination", "{\"stripeAccountId\":\"acct_e2e\"}",
                OPERATOR).statusCode()).isEqualTo(200);
        String executed = transfer("tr_e2e", host, "e2e-payout", 300, 0);
        stripe.stubFor(post(urlEqualTo("/v1/transfers")).inScenario("lost answer").whenScenarioStateIs(STARTED)
                .willReturn(okJson(executed).withFixedDelay(2_000)).willSetStateTo("executed"));
        stripe.stubFor(post(urlEqualTo("/v1/transfers")).inScenario("lost answer").whenScenarioStateIs("executed")
                .willReturn(okJson(executed)));
        send(new RequestPayout(host, "e2e-payout", MicroCredits.credits(300), Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> events(PayoutPaid.class).size() == 1);
        var transfers = stripe.findAll(postRequestedFor(urlEqualTo("/v1/transfers")));
        assertThat(transfers).hasSize(2);
        assertThat(transfers.get(0).getHeader("Idempotency-Key")).startsWith("archipelago-payout-")
                .isEqualTo(transfers.get(1).getHeader("Idempotency-Key"));

        // The transfer is reversed: the money returns to the host's earnings, once.
        String reversed = event("evt_e2e_reversed", "transfer.reversed", transfer("tr_e2e", host, "e2e-payout", 300,
                300));
        assertThat(webhook(reversed).statusCode()).isEqualTo(200);
        assertThat(webhook(reversed).statusCode()).isEqualTo(200);
        assertThat(events(PayoutFailed.class)).singleElement()
                .satisfies(failed -> assertThat(failed.reversed()).isTrue());

        // Stripe's records and the ledger agree: the one transfer stands at zero after its reversal.
        stripe.stubFor(get(urlPathEqualTo("/v1/transfers")).willReturn(okJson(
                "{\"object\":\"list\",\"url\":\"/v1/transfers\",\"has_more\":false,\"data\":["
                        + transfer("tr_e2e", host, "e2e-payout", 300, 300) + "]}")));
        // The report reads the payouts as the payments processor last saw them: it agrees once that has caught up.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> report = http.send(HttpRequest.newBuilder(URI.create(base + "/stripe/reconciliation"))
                    .header("Authorization", TestCredentials.OPERATOR).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(report.statusCode()).isEqualTo(200);
            assertThat(report.body()).contains("\"balanced\":true", "\"transfers\":1", "\"drift\":[]");
        });

        Ledger ledger = new Ledger();
        for (Object payload : payloads()) {
            ledger.record(payload);
            assertThat(ledger.isConserved()).as("sum of balances = deposits - payouts after %s", payload).isTrue();
        }
        assertThat(ledger.deposits()).isEqualTo(BigInteger.valueOf(MicroCredits.credits(1_000).value()));
        assertThat(ledger.payouts()).isZero();
        assertThat(ledger.balance(host, Bucket.EARNINGS)).isEqualTo(MicroCredits.credits(300));
        assertThat(ledger.balance(host, Bucket.PAYOUTS_IN_FLIGHT)).isEqualTo(MicroCredits.ZERO);
    }
}

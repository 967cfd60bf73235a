package io.archipelago.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.coordinator.CoordinatorApplication;
import io.archipelago.coordinator.http.Exchange.Reply;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ledger.Bucket;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.protocol.cosign.CosignSignatures;
import io.archipelago.protocol.cosign.ImageDigest;
import io.archipelago.protocol.cosign.SigningKeys;
import io.archipelago.protocol.cosign.SimpleSigning;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The publishing side of the marketplace over HTTP against a whole coordinator and its embedded PostgreSQL: a
 * publisher registers its key, a version signed in cosign's format is verified at publication (unsigned, re-signed
 * and mismatched ones refused with nothing recorded), a job is placed on it and settles its royalty to the
 * publisher with money conserved, the publisher is paid out like a host, a review from an account that never ran
 * the version is refused, and a yanked version is never placed again.
 */
@SpringBootTest(classes = CoordinatorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MarketplaceOverHttpTest {

    private static final String CARGO = "llm.chat.market";
    private static final String REPOSITORY = "registry.example/acme/llama3-8b";
    private static final String DIGEST = "sha256:" + "4e".repeat(32);
    private static final String OTHER_DIGEST = "sha256:" + "9f".repeat(32);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void embeddedDatabase(DynamicPropertyRegistry registry) {
        HttpTestProperties.register(registry, () -> dataDir);
    }

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private EventStore eventStore;

    @Test
    void aSignedVersionIsVerifiedPlacedPaidReviewedByItsUsersAndNeverPlacedOnceYanked() throws Exception {
        Exchange exchange = new Exchange(http);
        KeyPair acme = p256();
        exchange.openAccount("consumer", "DE", 100_000_000);
        exchange.openAccount("stranger", "DE", 100_000_000);
        exchange.openAccount("host", "DE", 0);
        exchange.registerCargo(CARGO, "operator-publisher", 20_000);
        exchange.onlineIsland("island", "host", "DE", CARGO, 2_000);
        exchange.ask(CARGO, "island", 100_000);
        exchange.post("/accounts/acme/publisher", "{\"name\":\"Acme Models\",\"signingKey\":"
                + quoted(SigningKeys.pem(acme.getPublic())) + "}", 201);

        Reply unsigned = exchange.post("/accounts/acme/cargo-versions", version("0.9.0", DIGEST, "", ""), 400);
        assertThat(unsigned.json("$.detail")).asString().contains("unsigned");
        Reply resigned = exchange.post("/accounts/acme/cargo-versions",
                version("0.9.0", DIGEST, payload(DIGEST), sign(p256(), payload(DIGEST))), 400);
        assertThat(resigned.json("$.detail")).asString().contains("publisher's key");
        Reply mismatched = exchange.post("/accounts/acme/cargo-versions",
                version("0.9.0", DIGEST, payload(OTHER_DIGEST), sign(acme, payload(OTHER_DIGEST))), 400);
        assertThat(mismatched.json("$.detail")).asString().contains("names digest");

        exchange.post("/accounts/acme/cargo-versions",
                version("1.0.0", DIGEST, payload(DIGEST), sign(acme, payload(DIGEST))), 201);
        Reply listed = exchange.awaitView("/registry/cargos/" + CARGO + "/versions/1.0.0",
                Map.of("$.status", "ACTIVE", "$.publisherTier", "COMMUNITY"));
        assertThat(listed.json("$.signature.tag")).isEqualTo("sha256-" + "4e".repeat(32) + ".sig");
        assertThat(exchange.get("/registry/cargos?type=llm.chat").body()).contains("\"version\":\"1.0.0\"")
                .doesNotContain("0.9.0");

        Reply bid = exchange.post("/markets/" + CARGO + "/bids", "{\"jobId\":\"job-1\",\"consumer\":\"consumer\","
                + "\"limitMicroCredits\":200000,\"maxUnits\":10}", 201);
        assertThat(bid.json("$.status")).isEqualTo("PLACED");
        exchange.post("/accounts/stranger/reviews", review(1), 400);
        exchange.post("/markets/" + CARGO + "/jobs/job-1/start", "{\"ttftMicros\":40000}", 204);
        exchange.post("/markets/" + CARGO + "/jobs/job-1/complete", "{\"units\":7}", 204);

        long fee = Pricing.platformFee(PricePerUnit.of(100_000), Karma.INITIAL).microCredits();
        long charged = (100_000 + 30_000 + fee) * 7;
        exchange.awaitView("/jobs/job-1", Map.of("$.status", "COMPLETED", "$.royaltyMicroCredits", 30_000L));
        exchange.awaitView("/accounts/acme/balance", Map.of("$.earningsMicroCredits", 210_000L));
        exchange.awaitView("/accounts/consumer/balance", Map.of("$.availableMicroCredits", 100_000_000L - charged));
        exchange.awaitView("/registry/cargos/" + CARGO + "/versions/1.0.0",
                Map.of("$.executions", 1L, "$.successes", 1L, "$.royaltiesMicroCredits", 210_000L));
        Ledger ledger = ledger();
        assertThat(ledger.isConserved()).as("sum of balances = deposits - payouts").isTrue();
        assertThat(ledger.balance(new AccountId("acme"), Bucket.EARNINGS)).isEqualTo(MicroCredits.of(210_000));
        assertThat(ledger.balance(new AccountId("operator-publisher"), Bucket.EARNINGS)).isEqualTo(MicroCredits.ZERO);

        exchange.post("/accounts/stranger/reviews", review(1), 400);
        exchange.post("/accounts/consumer/reviews", review(5), 204);
        exchange.awaitView("/registry/cargos/" + CARGO + "/versions/1.0.0", Map.of("$.ratings", 1L));
        assertThat(exchange.get("/registry/cargos/" + CARGO + "/versions/1.0.0/reviews").json("$[0].reviewer"))
                .isEqualTo("consumer");
        exchange.post("/accounts/acme/payouts", "{\"amountMicroCredits\":200000}", 201);
        exchange.post("/publishers/acme/tier", "{\"tier\":\"OFFICIAL\",\"reason\":\"asked\"}", 400);
        exchange.post("/publishers/acme/tier", "{\"tier\":\"CERTIFIED\",\"reason\":\"identity checked\"}", 204);
        exchange.awaitView("/registry/publishers/acme",
                Map.of("$.tier", "CERTIFIED", "$.tierMoves[0].reason", "identity checked"));

        exchange.post("/accounts/acme/cargo-versions/" + CARGO + "/1.0.0/yank", "{\"reason\":\"leaks prompts\"}",
                204);
        Reply afterYank = exchange.post("/markets/" + CARGO + "/bids", "{\"jobId\":\"job-2\",\"consumer\":"
                + "\"consumer\",\"limitMicroCredits\":200000,\"maxUnits\":10}", 201);
        assertThat(afterYank.json("$.status")).isEqualTo("RESTING");
        exchange.awaitView("/registry/cargos/" + CARGO + "/versions/1.0.0",
                Map.of("$.status", "YANKED", "$.statusReason", "leaks prompts"));
        assertThat(exchange.get("/registry/cargos?type=" + CARGO).body()).isEqualTo("[]");
        Reply publisher = exchange.awaitView("/registry/publishers/acme", Map.of("$.versions", 1L));
        assertThat(publisher.number("$.royaltiesMicroCredits")).isEqualTo(210_000);
        assertThat(ledger().isConserved()).isTrue();
    }

    @Test
    void aYankForCauseByThePlatformDemotesACertifiedPublisherWhileItsOwnYankDoesNot() throws Exception {
        String cargo = "llm.chat.cause";
        Exchange exchange = new Exchange(http);
        KeyPair key = p256();
        exchange.registerCargo(cargo, "operator-publisher", 20_000);
        exchange.post("/accounts/causal/publisher", "{\"name\":\"Causal\",\"signingKey\":"
                + quoted(SigningKeys.pem(key.getPublic())) + "}", 201);
        exchange.post("/accounts/causal/cargo-versions", versionOf(cargo, "1.0.0", DIGEST,
                sign(key, payload(DIGEST))), 201);
        exchange.post("/accounts/causal/cargo-versions", versionOf(cargo, "1.1.0", OTHER_DIGEST,
                sign(key, payload(OTHER_DIGEST))), 201);
        exchange.post("/publishers/causal/tier", "{\"tier\":\"CERTIFIED\",\"reason\":\"identity checked\"}", 204);
        exchange.post("/accounts/causal/cargo-versions/" + cargo + "/1.0.0/yank", "{\"reason\":\"superseded\"}",
                204);
        exchange.awaitView("/registry/cargos/" + cargo + "/versions/1.0.0", Map.of("$.status", "YANKED"));
        assertThat(exchange.awaitView("/registry/publishers/causal", Map.of("$.tierMoves.length()", 1L))
                .json("$.tier")).as("a publisher's own yank is no cause").isEqualTo("CERTIFIED");
        exchange.post("/cargos/" + cargo + "/versions/1.1.0/yank", "{\"reason\":\"malware in a layer\"}", 204);

        Reply demoted = exchange.awaitView("/registry/publishers/causal", Map.of("$.tierMoves.length()", 2L));
        assertThat(demoted.json("$.tier")).isEqualTo("COMMUNITY");
        assertThat(demoted.json("$.tierMoves[1].from")).isEqualTo("CERTIFIED");
        assertThat(demoted.json("$.tierMoves[1].reason"))
                .isEqualTo("automatic: the platform yanked llm.chat.cause 1.1.0 for cause: malware in a layer");
    }

    @Test
    void aRotatedKeySignsNewVersionsWhileVersionsSignedBeforeKeepTheirOwnKeyAndRun() throws Exception {
        String cargo = "llm.chat.rotation";
        Exchange exchange = new Exchange(http);
        KeyPair first = p256();
        KeyPair second = p256();
        String firstId = keyId(first);
        String secondId = keyId(second);
        exchange.openAccount("rotation-consumer", "DE", 100_000_000);
        exchange.openAccount("rotation-host", "DE", 0);
        exchange.registerCargo(cargo, "operator-publisher", 20_000);
        exchange.onlineIsland("rotation-island", "rotation-host", "DE", cargo, 2_000);
        exchange.ask(cargo, "rotation-island", 100_000);
        exchange.post("/accounts/rotator/publisher", "{\"name\":\"Rotator\",\"signingKey\":"
                + quoted(SigningKeys.pem(first.getPublic())) + "}", 201);
        exchange.post("/accounts/rotator/cargo-versions", versionOf(cargo, "1.0.0", DIGEST,
                sign(first, payload(DIGEST))), 201);

        String challenge = "archipelago-publisher-key:rotator:" + secondId;
        String wrongProof = CosignSignatures.sign(first.getPrivate(), challenge.getBytes(StandardCharsets.UTF_8));
        exchange.post("/accounts/rotator/publisher/keys", "{\"signingKey\":"
                + quoted(SigningKeys.pem(second.getPublic())) + ",\"proof\":\"" + wrongProof + "\"}", 400);
        String proof = CosignSignatures.sign(second.getPrivate(), challenge.getBytes(StandardCharsets.UTF_8));
        Reply rotated = exchange.post("/accounts/rotator/publisher/keys", "{\"signingKey\":"
                + quoted(SigningKeys.pem(second.getPublic())) + ",\"proof\":\"" + proof + "\"}", 201);
        assertThat(rotated.json("$.keyId")).isEqualTo(secondId);

        // the version signed before the rotation still runs, under the key it was signed with
        Reply bid = exchange.post("/markets/" + cargo + "/bids", "{\"jobId\":\"rotation-job-1\",\"consumer\":"
                + "\"rotation-consumer\",\"limitMicroCredits\":200000,\"maxUnits\":10}", 201);
        assertThat(bid.json("$.status")).isEqualTo("PLACED");
        exchange.post("/markets/" + cargo + "/jobs/rotation-job-1/start", "{\"ttftMicros\":40000}", 204);
        exchange.post("/markets/" + cargo + "/jobs/rotation-job-1/complete", "{\"units\":2}", 204);
        exchange.awaitView("/registry/cargos/" + cargo + "/versions/1.0.0",
                Map.of("$.executions", 1L, "$.signature.keyId", firstId));

        Reply retired = exchange.post("/accounts/rotator/cargo-versions", versionOf(cargo, "1.1.0",
                OTHER_DIGEST, sign(first, payload(OTHER_DIGEST))), 400);
        assertThat(retired.json("$.detail")).asString().contains("publisher's key");
        exchange.post("/accounts/rotator/cargo-versions", versionOf(cargo, "1.1.0", OTHER_DIGEST,
                sign(second, payload(OTHER_DIGEST))), 201);
        exchange.awaitView("/registry/cargos/" + cargo + "/versions/1.1.0", Map.of("$.signature.keyId", secondId));
        Reply publisher = exchange.awaitView("/registry/publishers/rotator",
                Map.of("$.keyId", secondId, "$.keys[0].keyId", firstId, "$.keys[1].keyId", secondId));
        assertThat(publisher.json("$.keys[0].retiredAt")).isNotNull();
        assertThat(publisher.json("$.keys[1].retiredAt")).isNull();
        exchange.post("/accounts/rotator/publisher/keys", "{\"signingKey\":"
                + quoted(SigningKeys.pem(first.getPublic())) + "}", 400);
    }

    private static String keyId(KeyPair key) throws GeneralSecurityException {
        byte[] der = key.getPublic().getEncoded();
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    private static String versionOf(String cargo, String version, String digest, String signature) {
        return version(version, digest, payload(digest), signature).replace("\"cargo\":\"" + CARGO + "\"",
                "\"cargo\":\"" + cargo + "\"");
    }

    private Ledger ledger() {
        Ledger ledger = new Ledger();
        try (BlockingStream<TrackedEventMessage<?>> events = eventStore.openStream(null)) {
            while (events.hasNextAvailable()) {
                ledger.record(events.nextAvailable().getPayload());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
        return ledger;
    }

    private static String version(String version, String digest, String payload, String signature) {
        return "{\"cargo\":\"" + CARGO + "\",\"version\":\"" + version + "\",\"image\":{\"repository\":\""
                + REPOSITORY + "\",\"digest\":\"" + digest + "\"},\"manifest\":{\"unit\":\"THOUSAND_TOKENS\","
                + "\"runtime\":\"container\",\"resources\":{\"ramMib\":8192,\"vramMib\":6144,\"cores\":4},"
                + "\"quantizations\":[\"q4_k_m\"],\"license\":\"Apache-2.0\",\"royaltyMicroCredits\":30000},"
                + "\"signature\":{\"payload\":\"" + payload + "\",\"signature\":\"" + signature + "\"}}";
    }

    private static String review(int stars) {
        return "{\"cargo\":\"" + CARGO + "\",\"version\":\"1.0.0\",\"stars\":" + stars + ",\"text\":\"good\"}";
    }

    private static String payload(String digest) {
        return Base64.getEncoder().encodeToString(SimpleSigning.payload(REPOSITORY, new ImageDigest(digest),
                Map.of()));
    }

    private static String sign(KeyPair key, String payload) {
        return CosignSignatures.sign(key.getPrivate(), Base64.getDecoder().decode(payload));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }

    private static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}

package io.archipelago.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archipelago.coordinator.CoordinatorApplication;
import io.archipelago.coordinator.http.Exchange.Reply;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.projections.ProjectionsConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The exchange slice driven by hand over HTTP against the real coordinator and its embedded PostgreSQL: accounts,
 * a market, Islands, asks and bids through the command API; jobs, balances and markets read back from the read
 * models once the projections caught up.
 */
@SpringBootTest(classes = CoordinatorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ExchangeOverHttpTest {

    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    /** The segments the projections processor splits the event stream into. */
    private static final int SEGMENTS = 4;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void embeddedDatabase(DynamicPropertyRegistry registry) {
        HttpTestProperties.register(registry, () -> dataDir);
    }

    /** What the bad-input cases act on: an account with credits, a market with one ask. */
    private static final String BAD_CONSUMER = "bad-consumer";
    private static final String BAD_CARGO = "llm.bad-input";
    private static final String BAD_ISLAND = "bad-island";
    private static boolean badInputFixture;

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private EventProcessingConfiguration processing;

    private Exchange exchange;
    private String scenario;

    @BeforeEach
    void scenario() {
        exchange = new Exchange(http);
        scenario = "s" + SCENARIOS.incrementAndGet();
    }

    @Test
    void aJobIsPlacedOnTheNearestIslandOfItsJurisdictionAndSettlesExactly() {
        String cargo = "llm.chat." + scenario;
        String consumer = scenario + "-consumer";
        String publisher = scenario + "-publisher";
        exchange.openAccount(consumer, "DE", 100_000_000);
        exchange.openAccount(scenario + "-host-far", "DE", 0);
        exchange.openAccount(scenario + "-host-near", "FR", 0);
        exchange.registerCargo(cargo, publisher, 20_000);
        exchange.onlineIsland(scenario + "-far", scenario + "-host-far", "DE", cargo, 9_000);
        exchange.onlineIsland(scenario + "-near", scenario + "-host-near", "FR", cargo, 2_000);
        exchange.onlineIsland(scenario + "-us", scenario + "-host-us", "US", cargo, 500);
        exchange.ask(cargo, scenario + "-far", 90_000);
        exchange.ask(cargo, scenario + "-near", 100_000);
        exchange.ask(cargo, scenario + "-us", 50_000);

        Reply bid = exchange.post("/markets/" + cargo + "/bids", "{\"jobId\":\"" + scenario + "-job\",\"consumer\":\""
                + consumer + "\",\"limitMicroCredits\":200000,\"maxUnits\":10,\"jurisdiction\":\"EU\"}", 201);

        assertThat(bid.headers().getLocation()).hasToString("/jobs/" + scenario + "-job");
        assertThat(bid.json("$.status")).isEqualTo("PLACED");
        assertThat(bid.json("$.islandId")).isEqualTo(scenario + "-near");
        exchange.awaitView("/jobs/" + scenario + "-job",
                Map.of("$.status", "PLACED", "$.islandId", scenario + "-near"));
        exchange.awaitView("/accounts/" + consumer + "/balance", Map.of("$.escrowMicroCredits", 2_000_000L));

        exchange.post("/markets/" + cargo + "/jobs/" + scenario + "-job/start", "{\"ttftMicros\":40000}", 204);
        exchange.post("/markets/" + cargo + "/jobs/" + scenario + "-job/complete", "{\"units\":7}", 204);

        long fee = Pricing.platformFee(PricePerUnit.of(100_000), Karma.INITIAL).microCredits();
        long charged = (100_000 + 20_000 + fee) * 7;
        Reply job = exchange.awaitView("/jobs/" + scenario + "-job", Map.of("$.status", "COMPLETED"));
        assertThat(job.number("$.units")).isEqualTo(7);
        assertThat(job.number("$.askMicroCredits")).isEqualTo(100_000);
        assertThat(job.number("$.royaltyMicroCredits")).isEqualTo(20_000);
        assertThat(job.number("$.feeMicroCredits")).isEqualTo(fee);
        assertThat(job.number("$.chargedMicroCredits")).isEqualTo(charged);
        assertThat(job.number("$.ttftMicros")).isEqualTo(40_000);
        exchange.awaitView("/accounts/" + consumer + "/balance",
                Map.of("$.availableMicroCredits", 100_000_000L - charged, "$.escrowMicroCredits", 0L));
        exchange.awaitView("/accounts/" + scenario + "-host-near/balance",
                Map.of("$.earningsMicroCredits", 700_000L));
        exchange.awaitView("/accounts/" + publisher + "/balance", Map.of("$.earningsMicroCredits", 140_000L));
        assertThat(exchange.get("/accounts/" + scenario + "-host-far/balance").number("$.earningsMicroCredits"))
                .isZero();
        Reply market = exchange.awaitView("/markets/" + cargo, Map.of("$.trades", 1L, "$.volumeUnits", 7L));
        assertThat(market.number("$.asks")).isEqualTo(3);
        assertThat(market.number("$.onlineAsks")).isEqualTo(3);
        assertThat(market.number("$.bestAskMicroCredits")).isEqualTo(50_000);
        assertThat(market.number("$.restingBids")).isZero();
    }

    @Test
    void aJobIsReadBackAtOnceAfterItsBidIsAcknowledged() {
        String cargo = "llm.chat." + scenario;
        String consumer = scenario + "-consumer";
        exchange.openAccount(consumer, "DE", 100_000_000);
        exchange.registerCargo(cargo, scenario + "-publisher", 0);
        exchange.onlineIsland(scenario + "-island", scenario + "-host", "DE", cargo, 2_000);
        exchange.post("/markets/" + cargo + "/asks", "{\"islandId\":\"" + scenario + "-island\","
                + "\"priceMicroCredits\":1000}", 201);
        for (int i = 0; i < 20; i++) {
            String job = scenario + "-job-" + i;
            Reply bid = exchange.post("/markets/" + cargo + "/bids", "{\"jobId\":\"" + job + "\",\"consumer\":\""
                    + consumer + "\",\"limitMicroCredits\":5000,\"maxUnits\":1}", 201);
            Reply read = exchange.get("/jobs/" + job);
            assertThat(read.status()).as("GET /jobs/%s right after its bid: %s", job, read.body()).isEqualTo(200);
            assertThat(read.json("$.jobId")).isEqualTo(job);
            if ("PLACED".equals(bid.json("$.status"))) {
                assertThat(read.json("$.status")).isEqualTo("PLACED");
            }
        }
        assertThat(exchange.get("/jobs/" + scenario + "-never-bid").status()).isEqualTo(404);
    }

    @Test
    void aBidRestsUntilAnAskAppearsAndIsThenPlaced() {
        String cargo = "llm.chat." + scenario;
        String consumer = scenario + "-consumer";
        exchange.openAccount(consumer, "DE", 10_000_000);
        exchange.registerCargo(cargo, scenario + "-publisher", 1_000);
        exchange.onlineIsland(scenario + "-island", scenario + "-host", "AT", cargo, 3_000);

        Reply bid = exchange.post("/markets/" + cargo + "/bids", "{\"consumer\":\"" + consumer
                + "\",\"limitMicroCredits\":50000,\"maxUnits\":2}", 201);

        assertThat(bid.json("$.status")).isEqualTo("RESTING");
        String jobId = (String) bid.json("$.jobId");
        assertThat(bid.headers().getLocation()).hasToString("/jobs/" + jobId);
        exchange.awaitView("/jobs/" + jobId, Map.of("$.status", "RESTING", "$.jurisdiction", "REGION:DE"));
        exchange.awaitView("/markets/" + cargo, Map.of("$.restingBids", 1L, "$.bestBidMicroCredits", 50_000L));

        exchange.ask(cargo, scenario + "-island", 30_000);

        exchange.awaitView("/jobs/" + jobId, Map.of("$.status", "PLACED", "$.islandId", scenario + "-island"));
        Reply market = exchange.awaitView("/markets/" + cargo, Map.of("$.restingBids", 0L));
        assertThat(market.json("$.bestBidMicroCredits")).isNull();
        exchange.awaitView("/accounts/" + consumer + "/balance",
                Map.of("$.availableMicroCredits", 9_900_000L, "$.escrowMicroCredits", 100_000L));
    }

    @Test
    void aBidBeyondTheConsumersCreditsIsRejectedAndReservesNothing() {
        String cargo = "llm.chat." + scenario;
        String consumer = scenario + "-consumer";
        exchange.openAccount(consumer, "DE", 1_000);
        exchange.registerCargo(cargo, scenario + "-publisher", 1_000);
        exchange.onlineIsland(scenario + "-island", scenario + "-host", "DE", cargo, 3_000);
        exchange.ask(cargo, scenario + "-island", 30_000);

        Reply bid = exchange.post("/markets/" + cargo + "/bids", "{\"jobId\":\"" + scenario + "-job\",\"consumer\":\""
                + consumer + "\",\"limitMicroCredits\":200000,\"maxUnits\":10}", 201);

        assertThat(bid.json("$.status")).isEqualTo("REJECTED");
        assertThat(bid.json("$.reason")).isEqualTo("LEDGER_INSUFFICIENT_CREDITS");
        Reply job = exchange.awaitView("/jobs/" + scenario + "-job",
                Map.of("$.status", "REJECTED", "$.rejectionReason", "LEDGER_INSUFFICIENT_CREDITS"));
        assertThat((String) job.json("$.detail")).contains("exceeds the available credits");
        exchange.awaitView("/accounts/" + consumer + "/balance",
                Map.of("$.availableMicroCredits", 1_000L, "$.escrowMicroCredits", 0L));
        assertThat(exchange.get("/markets/" + cargo).number("$.restingBids")).isZero();
    }

    @Test
    void unknownThingsAreNotFoundProblems() {
        for (String path : new String[] {"/jobs/" + scenario + "-nope", "/accounts/" + scenario + "-nope/balance",
                "/markets/" + scenario + ".nope"}) {
            Reply reply = exchange.get(path);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.headers().getContentType()).hasToString("application/problem+json");
            assertThat((String) reply.json("$.detail")).contains("is not known");
        }
    }

    static Stream<Arguments> badInput() {
        String markets = "/markets/" + BAD_CARGO;
        String aBid = "{\"consumer\":\"" + BAD_CONSUMER + "\",\"limitMicroCredits\":100,\"maxUnits\":1}";
        return Stream.of(
                Arguments.of("POST", "/accounts", "{}", 400, "accountId: must not be blank"),
                Arguments.of("POST", "/accounts", "{\"accountId\":\"bad-new\",\"country\":\"XX\"}", 400,
                        "ISO 3166-1"),
                Arguments.of("POST", "/accounts", "{\"accountId\":\"" + BAD_CONSUMER + "\",\"country\":\"DE\"}",
                        409, "already exists"),
                Arguments.of("POST", "/accounts/" + BAD_CONSUMER + "/deposits", "{\"amountMicroCredits\":-5}", 400,
                        "amountMicroCredits: must be greater than 0"),
                Arguments.of("POST", "/accounts/" + BAD_CONSUMER + "/deposits", "{\"amountMicroCredits\":5", 400,
                        "not valid JSON"),
                Arguments.of("POST", "/accounts/" + BAD_CONSUMER + "/deposits", "{\"amountMicroCredits\":\"five\"}",
                        400, "amountMicroCredits: expected a whole number"),
                Arguments.of("POST", "/accounts/" + BAD_CONSUMER + "/deposits",
                        "{\"amountMicroCredits\":5,\"currency\":\"EUR\"}", 400, "unknown field 'currency'"),
                Arguments.of("POST", "/accounts/" + BAD_CONSUMER + "/payouts", "{\"amountMicroCredits\":1}", 409,
                        "exceeds the earnings"),
                Arguments.of("POST", "/cargos", "{\"cargo\":\"" + BAD_CARGO + "\",\"unit\":\"IMAGE\","
                        + "\"publisher\":\"bad-publisher\",\"royaltyMicroCredits\":1}", 409, "already exists"),
                Arguments.of("POST", "/islands", "{\"islandId\":\"bad-new\",\"owner\":\"bad-host\","
                        + "\"country\":\"DE\",\"cargoTypes\":[\"" + BAD_CARGO + "\"],\"slots\":0}", 400,
                        "1 to 10000"),
                Arguments.of("POST", "/islands/bad-unknown-island/online", null, 404,
                        "'bad-unknown-island' does not exist"),
                Arguments.of("POST", markets + "/asks", "{\"islandId\":\"bad-unknown-island\","
                        + "\"priceMicroCredits\":100}", 400, "is not registered"),
                Arguments.of("POST", markets + "/asks", "{\"islandId\":\"" + BAD_ISLAND + "\","
                        + "\"priceMicroCredits\":100}", 409, "already has an ask"),
                Arguments.of("PUT", markets + "/asks/" + BAD_ISLAND, "{\"priceMicroCredits\":-1}", 400,
                        "priceMicroCredits: must be greater than or equal to 0"),
                Arguments.of("POST", markets + "/bids", "{\"consumer\":\"" + BAD_CONSUMER
                        + "\",\"limitMicroCredits\":-1,\"maxUnits\":1}", 400, "limitMicroCredits"),
                Arguments.of("POST", markets + "/bids", "{\"consumer\":\"" + BAD_CONSUMER
                        + "\",\"limitMicroCredits\":100,\"maxUnits\":1,\"jurisdiction\":\"Atlantis\"}", 400,
                        "ISO 3166-1"),
                Arguments.of("POST", "/markets/llm.no-such-market/bids", aBid, 404,
                        "'llm.no-such-market' does not exist"),
                Arguments.of("POST", "/markets/LLM!/bids", aBid, 400, "a cargo type is"),
                Arguments.of("POST", markets + "/jobs/bad-no-job/complete", "{\"units\":1}", 409,
                        "is not running"),
                Arguments.of("POST", markets + "/asks", "{\"islandId\":\"bad-unknown-island\","
                        + "\"priceMicroCredits\":" + Long.MAX_VALUE + "}", 400,
                        "an ask's price per unit is at most 1000000000 micro-credits"),
                Arguments.of("PUT", markets + "/asks/" + BAD_ISLAND, "{\"priceMicroCredits\":1000000001}", 400,
                        "an ask's price per unit is at most 1000000000 micro-credits"),
                Arguments.of("POST", markets + "/bids", "{\"consumer\":\"" + BAD_CONSUMER
                        + "\",\"limitMicroCredits\":" + Long.MAX_VALUE + ",\"maxUnits\":1}", 400,
                        "a bid's limit per unit is at most 1000000000 micro-credits"),
                Arguments.of("POST", "/cargos", "{\"cargo\":\"llm.bad-royalty\",\"unit\":\"IMAGE\","
                        + "\"publisher\":\"bad-publisher\",\"royaltyMicroCredits\":" + Long.MAX_VALUE + "}", 400,
                        "a Cargo's royalty per unit is at most 1000000000 micro-credits"),
                Arguments.of("POST", "/accounts/" + BAD_CONSUMER + "/deposits",
                        "{\"amountMicroCredits\":1000000000000000000}", 400,
                        "a deposit is at most 1000000000000 micro-credits"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badInput")
    void badInputIsAProblemAndChangesNothing(String method, String path, String body, int status, String detail) {
        Reply before = badInputFixture();
        long events = events();

        Reply reply = method.equals("PUT") ? exchange.put(path, body) : exchange.post(path, body);

        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().getContentType()).hasToString("application/problem+json");
        assertThat(reply.number("$.status")).isEqualTo(status);
        assertThat((String) reply.json("$.detail")).contains(detail);
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("trace");
        assertThat(events()).as("events stored").isEqualTo(events);
        assertThat(exchange.get("/accounts/" + BAD_CONSUMER + "/balance").body()).isEqualTo(before.body());
    }

    @Test
    void aRefusedDuplicateLeavesTheOriginalWorking() {
        String cargo = "llm.chat." + scenario;
        String consumer = scenario + "-consumer";
        exchange.openAccount(consumer, "DE", 5_000_000);
        exchange.registerCargo(cargo, scenario + "-publisher", 1_000);
        exchange.post("/accounts", "{\"accountId\":\"" + consumer + "\",\"country\":\"CH\"}", 409);
        exchange.post("/cargos", "{\"cargo\":\"" + cargo + "\",\"unit\":\"IMAGE\",\"publisher\":\"other\","
                + "\"royaltyMicroCredits\":0}", 409);

        Reply bid = exchange.post("/markets/" + cargo + "/bids", "{\"consumer\":\"" + consumer
                + "\",\"limitMicroCredits\":400000,\"maxUnits\":10}", 201);

        assertThat(bid.json("$.status")).isEqualTo("RESTING");
        exchange.awaitView("/accounts/" + consumer + "/balance",
                Map.of("$.country", "DE", "$.availableMicroCredits", 1_000_000L, "$.escrowMicroCredits", 4_000_000L));
        exchange.awaitView("/markets/" + cargo, Map.of("$.unit", "THOUSAND_TOKENS", "$.royaltyMicroCredits", 1_000L));
    }

    @Test
    void replayingTheWholeEventStreamChangesNoReadModel() {
        String cargo = "llm.chat." + scenario;
        String consumer = scenario + "-consumer";
        exchange.openAccount(consumer, "DE", 3_000_000);
        exchange.registerCargo(cargo, scenario + "-publisher", 1_000);
        exchange.onlineIsland(scenario + "-island", scenario + "-host", "DE", cargo, 3_000);
        exchange.ask(cargo, scenario + "-island", 30_000);
        exchange.post("/markets/" + cargo + "/bids", "{\"jobId\":\"" + scenario + "-job\",\"consumer\":\""
                + consumer + "\",\"limitMicroCredits\":40000,\"maxUnits\":5}", 201);
        exchange.post("/markets/" + cargo + "/jobs/" + scenario + "-job/complete", "{\"units\":3}", 204);
        exchange.awaitView("/markets/" + cargo, Map.of("$.trades", 1L));
        exchange.awaitView("/jobs/" + scenario + "-job", Map.of("$.status", "COMPLETED"));
        List<String> views = List.of("/jobs/" + scenario + "-job", "/accounts/" + consumer + "/balance",
                "/markets/" + cargo);
        List<String> before = views.stream().map(view -> exchange.get(view).body()).toList();
        PooledStreamingEventProcessor projections = processing.eventProcessor(
                ProjectionsConfiguration.PROCESSING_GROUP, PooledStreamingEventProcessor.class).orElseThrow();

        projections.shutDown();
        projections.resetTokens();
        projections.start();

        await().atMost(Exchange.READ_SIDE).until(() -> projections.processingStatus().values(),
                status -> status.size() == SEGMENTS
                        && status.stream().allMatch(ExchangeOverHttpTest::replayedToTheHead));
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "SELECT count(*) FROM token_entry WHERE processor_name = ?", Long.class,
                ProjectionsConfiguration.PROCESSING_GROUP)).isEqualTo(SEGMENTS);
        assertThat(views.stream().map(view -> exchange.get(view).body()).toList()).isEqualTo(before);
    }

    /** A replay token stays "replaying" until a newer event arrives; reaching its reset position is enough. */
    private static boolean replayedToTheHead(EventTrackerStatus segment) {
        return segment.isCaughtUp() && (!segment.isReplaying()
                || segment.getCurrentPosition().orElse(-1) >= segment.getResetPosition().orElse(Long.MAX_VALUE));
    }

    /** Sets up what the bad-input cases act on, once, and returns the consumer's balance once projected. */
    private Reply badInputFixture() {
        if (!badInputFixture) {
            exchange.openAccount(BAD_CONSUMER, "DE", 5_000_000);
            exchange.registerCargo(BAD_CARGO, "bad-publisher", 1_000);
            exchange.onlineIsland(BAD_ISLAND, "bad-host", "DE", BAD_CARGO, 3_000);
            exchange.ask(BAD_CARGO, BAD_ISLAND, 30_000);
            exchange.awaitView("/markets/" + BAD_CARGO, Map.of("$.asks", 1L));
            badInputFixture = true;
        }
        return exchange.awaitView("/accounts/" + BAD_CONSUMER + "/balance",
                Map.of("$.availableMicroCredits", 5_000_000L));
    }

    private long events() {
        return new JdbcTemplate(dataSource).queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }
}

package io.archipelago.exchange.island;

import static java.time.temporal.ChronoUnit.DAYS;
import static java.time.temporal.ChronoUnit.HOURS;
import static java.time.temporal.ChronoUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.BringIslandOnline;
import io.archipelago.exchange.island.api.ChangeIslandSchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandListing;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandRttMeasured;
import io.archipelago.exchange.island.api.IslandScheduleChanged;
import io.archipelago.exchange.island.api.IslandVerified;
import io.archipelago.exchange.island.api.IslandWentOffline;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.island.api.JobOutcome;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.island.api.IslandMemoryReported;
import io.archipelago.exchange.island.api.RecordIslandRtt;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.island.api.ReportIslandMemory;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.exchange.island.api.VerifyIsland;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.karma.api.KarmaChanged;
import io.archipelago.exchange.karma.api.KarmaReason;
import io.archipelago.exchange.market.Market;
import io.archipelago.exchange.market.RepositoryMarkets;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.market.api.PipelineStage;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.Markets;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Island command handler, and the job outcomes markets report through the Islands port, through Axon's
 * fixture. The Markets port is the production one over Market aggregates event-sourced from their own in-memory
 * store in the fixture's unit of work, so a change of the Island reaches its market's book in the same transaction.
 */
class IslandTest {

    private static final IslandId ISLAND = new IslandId("island-a");
    private static final AccountId OWNER = new AccountId("host-a");
    private static final Country GERMANY = Country.of("DE");
    private static final CargoType CHAT = new CargoType("llm.chat.llama3-8b");
    private static final CargoType IMAGES = new CargoType("image.sdxl");
    private static final int SLOTS = 2;
    /** A Monday, 10:00 UTC. */
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant REGISTERED_AT = T0.minus(10, DAYS);
    private static final AccountId CONSUMER = new AccountId("alice");
    private static final PricePerUnit ASK = PricePerUnit.of(10_000);
    private static final PricePerUnit ROYALTY = PricePerUnit.of(100);

    private final AggregateTestFixture<Island> fixture = new AggregateTestFixture<>(Island.class);
    private final AggregateStore<Market> markets = AggregateStore.of(Market.class);
    private final Markets marketsPort = new RepositoryMarkets(markets::repository);

    @BeforeEach
    void wirePorts() {
        fixture.registerInjectableResource(marketsPort);
    }

    @Test
    void registersAnOfflineUnmeasuredIslandWithInitialKarma() {
        fixture.givenNoPriorActivity()
                .when(new RegisterIsland(ISLAND, OWNER, GERMANY, Set.of(IMAGES, CHAT), SLOTS, null, false, T0))
                .expectEvents(new IslandRegistered(ISLAND, OWNER, GERMANY, Set.of(CHAT, IMAGES), SLOTS,
                        AvailabilitySchedule.ALWAYS, false, Karma.INITIAL, T0))
                .expectState(island -> assertThat(island.listing(CHAT)).isEqualTo(
                        new IslandListing(OWNER, conditions(false, false, IslandConditions.RTT_UNKNOWN, 500))));
    }

    @Test
    void registersAnIslandWithItsScheduleAndVerification() {
        AvailabilitySchedule weekdays = new AvailabilitySchedule(List.of(new AvailabilitySchedule.Window(0, 7_200)));

        fixture.givenNoPriorActivity()
                .when(new RegisterIsland(ISLAND, OWNER, GERMANY, Set.of(CHAT), SLOTS, weekdays, true, T0))
                .expectEvents(new IslandRegistered(ISLAND, OWNER, GERMANY, Set.of(CHAT), SLOTS, weekdays, true,
                        Karma.INITIAL, T0));
    }

    @Test
    void refusesAnIslandThatServesNoCargo() {
        fixture.givenNoPriorActivity()
                .when(new RegisterIsland(ISLAND, OWNER, GERMANY, Set.of(), SLOTS, null, false, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @ParameterizedTest(name = "{0} slots")
    @ValueSource(ints = {-1, 0, 10_001})
    void refusesSlotsOutsideOneToTenThousand(int slots) {
        fixture.givenNoPriorActivity()
                .when(new RegisterIsland(ISLAND, OWNER, GERMANY, Set.of(CHAT), slots, null, false, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void refusesAListingOnACargoTheIslandDoesNotServe() {
        fixture.given(registered())
                .whenInvoking(ISLAND.value(), island -> island.listing(IMAGES))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void verifiesAnIslandAndPlacesBidsThatRequireAVerifiedHost() {
        IslandConditions before = conditions(false, true, 20_000, 500);
        IslandConditions after = before.withVerified(true);
        BidSubmitted bid = restingBid("job-1", true, Long.MAX_VALUE);
        openMarket(before, bid);

        fixture.given(registered(), online(), rtt(20_000))
                .when(new VerifyIsland(ISLAND, T0))
                .expectEvents(new IslandVerified(ISLAND, T0));
        assertThat(markets.appended()).containsExactly(
                new IslandConditionsChanged(CHAT, ISLAND, after, T0),
                placed(bid, after));
    }

    @Test
    void verifiesAnIslandOnlyOnce() {
        openMarket(conditions(true, true, 20_000, 500));

        fixture.given(registered(), online(), rtt(20_000), new IslandVerified(ISLAND, T0.minus(1, HOURS)))
                .when(new VerifyIsland(ISLAND, T0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(markets.appended()).isEmpty();
    }

    @Test
    void bringsAnIslandOnlineAndPlacesRestingBidsOnIt() {
        IslandConditions before = conditions(false, false, 20_000, 500);
        IslandConditions after = before.withOnline(true);
        BidSubmitted bid = restingBid("job-1", false, Long.MAX_VALUE);
        openMarket(before, bid);

        fixture.given(registered(), rtt(20_000))
                .when(new BringIslandOnline(ISLAND, T0))
                .expectEvents(new IslandWentOnline(ISLAND, T0));
        assertThat(markets.appended()).containsExactly(
                new IslandConditionsChanged(CHAT, ISLAND, after, T0),
                placed(bid, after));
    }

    @Test
    void ignoresAnIslandThatIsAlreadyOnline() {
        openMarket(conditions(false, true, 20_000, 500));

        fixture.given(registered(), online(), rtt(20_000))
                .when(new BringIslandOnline(ISLAND, T0))
                .expectNoEvents();
        assertThat(markets.appended()).isEmpty();
    }

    @Test
    void toleratesACargoWhoseMarketIsNotOpenYet() {
        IslandConditions before = conditions(false, false, 20_000, 500);
        openMarket(before);

        fixture.given(registered(Set.of(CHAT, IMAGES)), rtt(20_000))
                .when(new BringIslandOnline(ISLAND, T0))
                .expectEvents(new IslandWentOnline(ISLAND, T0));
        assertThat(markets.appended())
                .containsExactly(new IslandConditionsChanged(CHAT, ISLAND, before.withOnline(true), T0));
    }

    @Test
    void leavesAMarketWithoutItsAskUntouched() {
        markets.seed(CHAT.value(), cargoRegistered());

        fixture.given(registered(), rtt(20_000))
                .when(new BringIslandOnline(ISLAND, T0))
                .expectEvents(new IslandWentOnline(ISLAND, T0));
        assertThat(markets.appended()).isEmpty();
    }

    @Test
    void costsKarmaWhenHeartbeatsAreMissed() {
        IslandConditions before = conditions(false, true, 20_000, 500);
        openMarket(before);

        fixture.given(registered(), online(), rtt(20_000))
                .when(new TakeIslandOffline(ISLAND, OfflineReason.HEARTBEATS_MISSED, T0))
                .expectEvents(new IslandWentOffline(ISLAND, OfflineReason.HEARTBEATS_MISSED, T0),
                        new KarmaChanged(ISLAND, Karma.INITIAL, Karma.of(485), KarmaReason.WENT_OFFLINE, null, T0));
        assertThat(markets.appended()).containsExactly(new IslandConditionsChanged(CHAT, ISLAND,
                before.withOnline(false).withKarma(Karma.of(485)), T0));
    }

    @Test
    void costsNoKarmaWhenTheHostTakesItDown() {
        IslandConditions before = conditions(false, true, 20_000, 500);
        openMarket(before);

        fixture.given(registered(), online(), rtt(20_000))
                .when(new TakeIslandOffline(ISLAND, OfflineReason.HOST_REQUEST, T0))
                .expectEvents(new IslandWentOffline(ISLAND, OfflineReason.HOST_REQUEST, T0));
        assertThat(markets.appended())
                .containsExactly(new IslandConditionsChanged(CHAT, ISLAND, before.withOnline(false), T0));
    }

    @Test
    void decaysKarmaBeforeChargingMissedHeartbeats() {
        fixture.given(registered(), online(), karma(500, 700, T0.minus(3, DAYS)))
                .when(new TakeIslandOffline(ISLAND, OfflineReason.HEARTBEATS_MISSED, T0))
                .expectEvents(new IslandWentOffline(ISLAND, OfflineReason.HEARTBEATS_MISSED, T0),
                        new KarmaChanged(ISLAND, Karma.of(700), Karma.of(670), KarmaReason.DECAY, null, T0),
                        new KarmaChanged(ISLAND, Karma.of(670), Karma.of(655), KarmaReason.WENT_OFFLINE, null, T0));
    }

    @Test
    void ignoresAnIslandThatIsAlreadyOffline() {
        fixture.given(registered(), online(),
                        new IslandWentOffline(ISLAND, OfflineReason.HOST_REQUEST, T0.minus(1, HOURS)))
                .when(new TakeIslandOffline(ISLAND, OfflineReason.HEARTBEATS_MISSED, T0))
                .expectNoEvents();
    }

    @Test
    void opensTheIslandByANewScheduleAndPlacesTheBidsWaitingForIt() {
        AvailabilitySchedule tuesdays = schedule(1_440, 2_880);
        AvailabilitySchedule mondayMornings = schedule(540, 660);
        IslandConditions before = conditions(false, true, 20_000, 500).withSchedule(tuesdays);
        IslandConditions after = before.withSchedule(mondayMornings);
        BidSubmitted bid = restingBid("job-1", false, Long.MAX_VALUE);
        openMarket(before, bid);

        fixture.given(registered(), new IslandScheduleChanged(ISLAND, tuesdays, REGISTERED_AT), online(),
                        rtt(20_000))
                .when(new ChangeIslandSchedule(ISLAND, mondayMornings, T0))
                .expectEvents(new IslandScheduleChanged(ISLAND, mondayMornings, T0))
                .expectState(island -> assertThat(island.listing(CHAT).conditions()).isEqualTo(after));
        assertThat(markets.appended()).containsExactly(
                new IslandConditionsChanged(CHAT, ISLAND, after, T0),
                placed(bid, after));
    }

    @Test
    void keepsABidWaitingWhileTheNewScheduleIsStillClosed() {
        IslandConditions before = conditions(false, true, 20_000, 500).withSchedule(schedule(1_440, 2_880));
        IslandConditions after = before.withSchedule(schedule(2_880, 4_320));
        openMarket(before, restingBid("job-1", false, Long.MAX_VALUE));

        fixture.given(registered(), new IslandScheduleChanged(ISLAND, schedule(1_440, 2_880), REGISTERED_AT),
                        online(), rtt(20_000))
                .when(new ChangeIslandSchedule(ISLAND, schedule(2_880, 4_320), T0))
                .expectEvents(new IslandScheduleChanged(ISLAND, schedule(2_880, 4_320), T0));
        assertThat(markets.appended()).containsExactly(new IslandConditionsChanged(CHAT, ISLAND, after, T0));
    }

    @Test
    void closesAnIslandThatWasAlwaysOpen() {
        IslandConditions before = conditions(false, true, 20_000, 500);
        openMarket(before);

        fixture.given(registered(), online(), rtt(20_000))
                .when(new ChangeIslandSchedule(ISLAND, schedule(1_440, 2_880), T0))
                .expectEvents(new IslandScheduleChanged(ISLAND, schedule(1_440, 2_880), T0));
        assertThat(markets.appended()).containsExactly(
                new IslandConditionsChanged(CHAT, ISLAND, before.withSchedule(schedule(1_440, 2_880)), T0));
    }

    @Test
    void goesBackToAlwaysWhenTheScheduleIsAbsent() {
        fixture.given(registered(), new IslandScheduleChanged(ISLAND, schedule(0, 60), REGISTERED_AT))
                .when(new ChangeIslandSchedule(ISLAND, null, T0))
                .expectEvents(new IslandScheduleChanged(ISLAND, AvailabilitySchedule.ALWAYS, T0));
    }

    @Test
    void ignoresAnUnchangedSchedule() {
        openMarket(conditions(false, true, 20_000, 500).withSchedule(schedule(0, 60)));

        fixture.given(registered(), new IslandScheduleChanged(ISLAND, schedule(0, 60), REGISTERED_AT), online(),
                        rtt(20_000))
                .when(new ChangeIslandSchedule(ISLAND, schedule(0, 60), T0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(markets.appended()).isEmpty();
    }

    @ParameterizedTest(name = "[{0}, {1})")
    @CsvSource({"-1, 60", "60, 60", "120, 60", "0, 10081"})
    void refusesAWindowOutsideTheWeekAsAtRegistration(int start, int end) {
        assertThatThrownBy(() -> schedule(start, end)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsANewRoundTripTimeAndTellsItsMarkets() {
        IslandConditions before = conditions(false, true, 20_000, 500);
        openMarket(before);

        fixture.given(registered(), online(), rtt(20_000))
                .when(new RecordIslandRtt(ISLAND, 35_000, T0))
                .expectEvents(new IslandRttMeasured(ISLAND, 35_000, T0));
        assertThat(markets.appended())
                .containsExactly(new IslandConditionsChanged(CHAT, ISLAND, before.withRtt(35_000), T0));
    }

    @Test
    void placesABidWithARoundTripCeilingOnceTheIslandIsFastEnough() {
        IslandConditions before = conditions(false, true, 50_000, 500);
        BidSubmitted bid = restingBid("job-1", false, 30_000);
        openMarket(before, bid);

        fixture.given(registered(), online(), rtt(50_000))
                .when(new RecordIslandRtt(ISLAND, 30_000, T0))
                .expectEvents(new IslandRttMeasured(ISLAND, 30_000, T0));
        assertThat(markets.appended()).containsExactly(
                new IslandConditionsChanged(CHAT, ISLAND, before.withRtt(30_000), T0),
                placed(bid, before.withRtt(30_000)));
    }

    @Test
    void recordsTheMemoryAnIslandReportsOnceEachTimeItChangesAndTellsNoMarket() {
        openMarket(conditions(false, true, 20_000, 500));

        fixture.given(registered(), online())
                .when(new ReportIslandMemory(ISLAND, 0, T0))
                .expectEvents(new IslandMemoryReported(ISLAND, 0, T0));
        fixture.given(registered(), online(), new IslandMemoryReported(ISLAND, 8_192, T0))
                .when(new ReportIslandMemory(ISLAND, 8_192, T0))
                .expectNoEvents();
        fixture.given(registered(), online(), new IslandMemoryReported(ISLAND, 8_192, T0))
                .when(new ReportIslandMemory(ISLAND, 2_048, T0))
                .expectEvents(new IslandMemoryReported(ISLAND, 2_048, T0));
        assertThat(markets.appended()).isEmpty();
    }

    @Test
    void refusesMemoryBelowZeroOrAboveTheCap() {
        fixture.given(registered(), online())
                .when(new ReportIslandMemory(ISLAND, -1, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(registered(), online())
                .when(new ReportIslandMemory(ISLAND, PipelineStage.MAX_MEMORY_MIB + 1, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void ignoresAnUnchangedRoundTripTime() {
        openMarket(conditions(false, true, 20_000, 500));

        fixture.given(registered(), online(), rtt(20_000))
                .when(new RecordIslandRtt(ISLAND, 20_000, T0))
                .expectNoEvents();
        assertThat(markets.appended()).isEmpty();
    }

    @Test
    void refusesANegativeRoundTripTime() {
        fixture.given(registered(), online())
                .when(new RecordIslandRtt(ISLAND, -1, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @ParameterizedTest(name = "rtt {0} µs + first token {1} µs earns {2} points")
    @CsvSource({"0, 0, 10", "20000, 180000, 9", "500000, 500000, 5", "1000000, 999999, 1", "1500000, 600000, 1"})
    void earnsLessKarmaTheSlowerAJobsRoundTripAndFirstToken(long rtt, long ttft, int points) {
        IslandConditions before = conditions(false, true, 20_000, 500);
        openMarket(before);
        Karma after = Karma.of(500 + points);

        fixture.given(registered(), online(), rtt(20_000))
                .whenInvoking(ISLAND.value(), island -> island.recordJobOutcome(new JobId("job-1"),
                        JobOutcome.success(rtt, ttft), T0, marketsPort))
                .expectEvents(new KarmaChanged(ISLAND, Karma.INITIAL, after, KarmaReason.JOB_COMPLETED, "job-1", T0));
        assertThat(markets.appended())
                .containsExactly(new IslandConditionsChanged(CHAT, ISLAND, before.withKarma(after), T0));
    }

    @Test
    void losesFortyPointsForAFailedJob() {
        IslandConditions before = conditions(false, true, 20_000, 500);
        openMarket(before);

        fixture.given(registered(), online(), rtt(20_000))
                .whenInvoking(ISLAND.value(), island -> island.recordJobOutcome(new JobId("job-1"),
                        JobOutcome.failure(), T0, marketsPort))
                .expectEvents(new KarmaChanged(ISLAND, Karma.INITIAL, Karma.of(460), KarmaReason.JOB_FAILED, "job-1",
                        T0));
        assertThat(markets.appended())
                .containsExactly(new IslandConditionsChanged(CHAT, ISLAND, before.withKarma(Karma.of(460)), T0));
    }

    @Test
    void decaysHighKarmaTowardTheInitialValueAfterIdleDays() {
        fixture.given(registered(), karma(500, 800, T0.minus(5, DAYS)))
                .whenInvoking(ISLAND.value(), island -> island.recordJobOutcome(new JobId("job-1"),
                        JobOutcome.success(0, 0), T0, marketsPort))
                .expectEvents(new KarmaChanged(ISLAND, Karma.of(800), Karma.of(750), KarmaReason.DECAY, null, T0),
                        new KarmaChanged(ISLAND, Karma.of(750), Karma.of(760), KarmaReason.JOB_COMPLETED, "job-1", T0));
    }

    @Test
    void decaysLowKarmaTowardTheInitialValueAfterIdleDays() {
        fixture.given(registered(), karma(500, 300, T0.minus(5, DAYS)))
                .whenInvoking(ISLAND.value(), island -> island.recordJobOutcome(new JobId("job-1"),
                        JobOutcome.failure(), T0, marketsPort))
                .expectEvents(new KarmaChanged(ISLAND, Karma.of(300), Karma.of(350), KarmaReason.DECAY, null, T0),
                        new KarmaChanged(ISLAND, Karma.of(350), Karma.of(310), KarmaReason.JOB_FAILED, "job-1", T0));
    }

    @Test
    void decayStopsAtTheInitialValue() {
        fixture.given(registered(), karma(500, 510, T0.minus(5, DAYS)))
                .whenInvoking(ISLAND.value(), island -> island.recordJobOutcome(new JobId("job-1"),
                        JobOutcome.failure(), T0, marketsPort))
                .expectEvents(new KarmaChanged(ISLAND, Karma.of(510), Karma.of(500), KarmaReason.DECAY, null, T0),
                        new KarmaChanged(ISLAND, Karma.of(500), Karma.of(460), KarmaReason.JOB_FAILED, "job-1", T0));
    }

    @Test
    void doesNotDecayWithinTheFirstIdleDay() {
        fixture.given(registered(), karma(500, 800, T0.minus(Duration.ofDays(1).minusSeconds(1))))
                .whenInvoking(ISLAND.value(), island -> island.recordJobOutcome(new JobId("job-1"),
                        JobOutcome.failure(), T0, marketsPort))
                .expectEvents(new KarmaChanged(ISLAND, Karma.of(800), Karma.of(760), KarmaReason.JOB_FAILED, "job-1",
                        T0));
    }

    @Test
    void keepsKarmaAtMostAThousand() {
        fixture.given(registered(), karma(500, 995, T0.minus(1, HOURS)))
                .whenInvoking(ISLAND.value(), island -> island.recordJobOutcome(new JobId("job-1"),
                        JobOutcome.success(0, 0), T0, marketsPort))
                .expectEvents(new KarmaChanged(ISLAND, Karma.of(995), Karma.of(1_000), KarmaReason.JOB_COMPLETED,
                        "job-1", T0));
    }

    @Test
    void keepsKarmaAtLeastZero() {
        fixture.given(registered(), karma(500, 20, T0.minus(1, HOURS)))
                .whenInvoking(ISLAND.value(), island -> island.recordJobOutcome(new JobId("job-1"),
                        JobOutcome.failure(), T0, marketsPort))
                .expectEvents(new KarmaChanged(ISLAND, Karma.of(20), Karma.NONE, KarmaReason.JOB_FAILED, "job-1",
                        T0));
    }

    private static IslandRegistered registered() {
        return registered(Set.of(CHAT));
    }

    private static IslandRegistered registered(Set<CargoType> cargoTypes) {
        return new IslandRegistered(ISLAND, OWNER, GERMANY, cargoTypes, SLOTS, AvailabilitySchedule.ALWAYS, false,
                Karma.INITIAL, REGISTERED_AT);
    }

    private static IslandWentOnline online() {
        return new IslandWentOnline(ISLAND, T0.minus(2, HOURS));
    }

    private static IslandRttMeasured rtt(long micros) {
        return new IslandRttMeasured(ISLAND, micros, T0.minus(2, HOURS));
    }

    private static AvailabilitySchedule schedule(int startMinute, int endMinute) {
        return new AvailabilitySchedule(List.of(new AvailabilitySchedule.Window(startMinute, endMinute)));
    }

    private static KarmaChanged karma(int from, int to, Instant at) {
        return new KarmaChanged(ISLAND, Karma.of(from), Karma.of(to), KarmaReason.JOB_COMPLETED, "earlier", at);
    }

    /** The Island as its market lists it: in Germany, two slots, always open. */
    private static IslandConditions conditions(boolean verified, boolean online, long rttMicros, int karma) {
        return new IslandConditions(GERMANY, SLOTS, AvailabilitySchedule.ALWAYS, verified, online, rttMicros,
                Karma.of(karma));
    }

    private static CargoRegistered cargoRegistered() {
        return new CargoRegistered(CHAT, CargoUnit.THOUSAND_TOKENS, new AccountId("publisher"), ROYALTY,
                REGISTERED_AT);
    }

    /** Opens the chat market with the Island's ask listed under {@code listed}, and any resting bids. */
    private void openMarket(IslandConditions listed, BidSubmitted... restingBids) {
        markets.seed(CHAT.value(), cargoRegistered(),
                new AskPlaced(CHAT, ISLAND, OWNER, ASK, listed, T0.minus(1, HOURS)));
        markets.seed(CHAT.value(), (Object[]) restingBids);
    }

    private static BidSubmitted restingBid(String jobId, boolean verifiedOnly, long maxRttMicros) {
        return new BidSubmitted(CHAT, new JobId(jobId), CONSUMER, PricePerUnit.of(12_000), 100,
                JurisdictionPolicy.eu(), Karma.NONE, maxRttMicros, verifiedOnly, MicroCredits.of(1_200_000),
                T0.plus(10, MINUTES), T0.minus(1, MINUTES));
    }

    /** The placement of {@code bid} on the Island at its ask of 10000 plus royalty and the 7.5% fee of karma 500. */
    private static JobPlaced placed(BidSubmitted bid, IslandConditions conditions) {
        return new JobPlaced(CHAT, bid.jobId(), bid.consumer(), ISLAND, OWNER,
                new UnitPrice(ASK, ROYALTY, PricePerUnit.of(750)), conditions.rttMicros(), conditions.karma(), T0);
    }
}

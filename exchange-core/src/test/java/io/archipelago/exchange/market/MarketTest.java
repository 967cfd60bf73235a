package io.archipelago.exchange.market;

import static java.time.temporal.ChronoUnit.DAYS;
import static java.time.temporal.ChronoUnit.HOURS;
import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.RepositoryIslands;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandRttMeasured;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.karma.api.KarmaChanged;
import io.archipelago.exchange.karma.api.KarmaReason;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.AskRepriced;
import io.archipelago.exchange.market.api.AskWithdrawn;
import io.archipelago.exchange.market.api.BidCancelled;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CancelJob;
import io.archipelago.exchange.market.api.ClearMarketRate;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobStarted;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.MarketRateCleared;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.market.api.RepriceAsk;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.SubmitBids;
import io.archipelago.exchange.market.api.WithdrawAsk;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Market command handler through Axon's fixture. The market's ports are the production ones: accounts and
 * islands are event-sourced from their own in-memory stores inside the fixture's unit of work, and the Islands port
 * reaches back into the market under test through the fixture's repository, as it does in production.
 */
class MarketTest {

    private static final CargoType CARGO = new CargoType("llm.chat.llama3-8b");
    private static final AccountId PUBLISHER = new AccountId("publisher");
    private static final PricePerUnit ROYALTY = PricePerUnit.of(100);
    private static final AccountId ALICE = new AccountId("alice");
    private static final Country GERMANY = Country.of("DE");
    private static final MicroCredits ALICE_FUNDS = MicroCredits.credits(100);
    /** A Monday, 10:00 UTC: minute 600 of the week. */
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(30);
    private static final Instant EARLIER = T0.minus(1, HOURS);

    private final AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);
    private final AggregateStore<Island> islands = AggregateStore.of(Island.class);

    @BeforeEach
    void wirePorts() {
        // The order book holds mutable asks without value equality, which Axon's reflective state comparison cannot
        // tell apart from a change; replay equality of markets is proven by stateHash in the property tests.
        fixture.setReportIllegalStateChange(false);
        fixture.registerIgnoredField(BidRejected.class, "detail");
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        fixture.registerInjectableResource(new RepositoryIslands(islands::repository,
                new RepositoryMarkets(fixture::getRepository)));
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, GERMANY, T0.minus(1, DAYS)),
                new CreditsDeposited(ALICE, "deposit-1", ALICE_FUNDS, T0.minus(1, DAYS)));
    }

    @Test
    void opensTheMarketOfACargoTypeWithItsRoyalty() {
        fixture.givenNoPriorActivity()
                .when(new RegisterCargo(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, T0))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, T0));
    }

    @Test
    void listsAnAskWithTheIslandsOwnerAndCurrentConditions() {
        Host host = host("island-a", "DE", 20, 640).verified();
        register(host);

        fixture.given(cargoRegistered())
                .when(new PlaceAsk(CARGO, host.id, PricePerUnit.of(9_000), T0))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new AskPlaced(CARGO, host.id, host.owner, PricePerUnit.of(9_000), host.conditions,
                        T0));
    }

    @Test
    void placesARestingBidWhenAnAskAppears() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), bid.submitted())
                .when(new PlaceAsk(CARGO, host.id, PricePerUnit.of(10_000), LATER))
                .expectEvents(new AskPlaced(CARGO, host.id, host.owner, PricePerUnit.of(10_000), host.conditions,
                                LATER),
                        bid.placedOn(host, 10_000, LATER));
    }

    @Test
    void servesRestingBidsHighestLimitFirstThenOldestWhenCapacityAppears() {
        Host host = host("island-a", "DE", 20, 500).slots(2);
        register(host);
        BidDraft oldLow = bid("job-1").limit(11_000);
        BidDraft high = bid("job-2").limit(15_000);
        BidDraft youngLow = bid("job-3").limit(11_000);

        fixture.given(cargoRegistered(), oldLow.submitted(), high.submitted(), youngLow.submitted())
                .when(new PlaceAsk(CARGO, host.id, PricePerUnit.of(10_000), LATER))
                .expectEvents(new AskPlaced(CARGO, host.id, host.owner, PricePerUnit.of(10_000), host.conditions,
                                LATER),
                        high.placedOn(host, 10_000, LATER),
                        oldLow.placedOn(host, 10_000, LATER));
    }

    @Test
    void neverPlacesABidWhoseTimeToLiveHasPassed() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        BidDraft bid = bid("job-1").ttl(Duration.ofSeconds(30));

        fixture.given(cargoRegistered(), bid.submitted())
                .when(new PlaceAsk(CARGO, host.id, PricePerUnit.of(10_000), LATER))
                .expectEvents(new AskPlaced(CARGO, host.id, host.owner, PricePerUnit.of(10_000), host.conditions,
                        LATER));
    }

    @Test
    void refusesASecondAskFromTheSameIsland() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000))
                .when(new PlaceAsk(CARGO, host.id, PricePerUnit.of(9_000), T0))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void refusesAnAskFromAnIslandThatDoesNotServeTheCargo() {
        IslandId islandId = new IslandId("island-images");
        islands.seed(islandId.value(), new IslandRegistered(islandId, new AccountId("host-images"), GERMANY,
                Set.of(new CargoType("image.sdxl")), 1, AvailabilitySchedule.ALWAYS, false, Karma.INITIAL,
                EARLIER));

        fixture.given(cargoRegistered())
                .when(new PlaceAsk(CARGO, islandId, PricePerUnit.of(9_000), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void refusesAnAskFromAnUnregisteredIsland() {
        fixture.given(cargoRegistered())
                .when(new PlaceAsk(CARGO, new IslandId("nobody"), PricePerUnit.of(9_000), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void placesARestingBidTheLowerPriceNowFits() {
        Host host = host("island-a", "DE", 20, 500);
        BidDraft bid = bid("job-1").limit(10_000);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted())
                .when(new RepriceAsk(CARGO, host.id, PricePerUnit.of(9_000), LATER))
                .expectEvents(new AskRepriced(CARGO, host.id, PricePerUnit.of(10_000), PricePerUnit.of(9_000),
                                LATER),
                        bid.placedOn(host, 9_000, LATER));
    }

    @Test
    void ignoresARepriceToTheSamePrice() {
        Host host = host("island-a", "DE", 20, 500);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000))
                .when(new RepriceAsk(CARGO, host.id, PricePerUnit.of(10_000), LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToRepriceAnAskThatIsNotListed() {
        fixture.given(cargoRegistered())
                .when(new RepriceAsk(CARGO, new IslandId("island-a"), PricePerUnit.of(9_000), LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void settlesAJobAtThePriceItWasPlacedAtAfterARepriceOfItsAsk() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        BidDraft bid = bid("job-1");
        reserve(bid);
        UnitPrice placedPrice = new UnitPrice(PricePerUnit.of(10_000), ROYALTY, PricePerUnit.of(750));

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0),
                        new AskRepriced(CARGO, host.id, PricePerUnit.of(10_000), PricePerUnit.of(5_000), T0))
                .when(new CompleteJob(CARGO, bid.jobId(), 10, LATER))
                .expectEvents(new JobCompleted(CARGO, bid.jobId(), ALICE, host.id, host.owner, PUBLISHER, 10,
                                placedPrice, MicroCredits.of(108_500), MicroCredits.of(100_000),
                                MicroCredits.of(1_000), MicroCredits.of(7_500), MicroCredits.of(1_091_500), LATER),
                        new IslandConditionsChanged(CARGO, host.id, host.conditions.withKarma(Karma.of(509)),
                                LATER));
    }

    @Test
    void withdrawsAListedAsk() {
        Host host = host("island-a", "DE", 20, 500);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000))
                .when(new WithdrawAsk(CARGO, host.id, LATER))
                .expectEvents(new AskWithdrawn(CARGO, host.id, LATER));
    }

    @Test
    void restsBidsThatOnlyAWithdrawnAskCouldHaveTaken() {
        Host host = host("island-a", "DE", 20, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), new AskWithdrawn(CARGO, host.id, EARLIER))
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.resting(bid.jobId()))
                .expectEvents(bid.submitted());
    }

    @Test
    void refusesToWithdrawAnAskThatIsNotListed() {
        fixture.given(cargoRegistered())
                .when(new WithdrawAsk(CARGO, new IslandId("island-a"), LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void placesARestingBidWhenItsIslandComesOnline() {
        Host host = host("island-a", "DE", 20, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host.offline(), 10_000), bid.submitted())
                .whenInvoking(CARGO.value(), market -> market.updateConditions(host.id, host.conditions, LATER))
                .expectEvents(new IslandConditionsChanged(CARGO, host.id, host.conditions, LATER),
                        bid.placedOn(host, 10_000, LATER));
    }

    @Test
    void neverRelaxesJurisdictionWhenAnIslandOutsideItComesOnline() {
        Host american = host("island-us", "US", 1, 900);
        BidDraft bid = bid("job-1").jurisdiction(JurisdictionPolicy.eu());

        fixture.given(cargoRegistered(), askPlaced(american.offline(), 1_000), bid.submitted())
                .whenInvoking(CARGO.value(),
                        market -> market.updateConditions(american.id, american.conditions, LATER))
                .expectEvents(new IslandConditionsChanged(CARGO, american.id, american.conditions, LATER));
    }

    @Test
    void ignoresUnchangedConditions() {
        Host host = host("island-a", "DE", 20, 500);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000))
                .whenInvoking(CARGO.value(), market -> market.updateConditions(host.id, host.conditions, LATER))
                .expectNoEvents();
    }

    @Test
    void ignoresAnIslandWithoutAnAsk() {
        Host host = host("island-a", "DE", 20, 500);

        fixture.given(cargoRegistered())
                .whenInvoking(CARGO.value(), market -> market.updateConditions(host.id, host.conditions, LATER))
                .expectNoEvents();
    }

    @Test
    void placesOnTheIslandWithTheLowestRoundTripTime() {
        Host slowCheapTrusted = host("island-a", "DE", 30, 900);
        Host fastest = host("island-b", "DE", 10, 300);
        Host middle = host("island-c", "FR", 20, 800);
        BidDraft bid = bid("job-1").limit(20_000);

        fixture.given(cargoRegistered(), askPlaced(slowCheapTrusted, 5_000), askPlaced(fastest, 9_000),
                        askPlaced(middle, 4_000))
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.placed(bid.jobId(), fastest.id))
                .expectEvents(bid.submitted(), new JobPlaced(CARGO, bid.jobId(), ALICE, fastest.id,
                        fastest.owner, new UnitPrice(PricePerUnit.of(9_000), ROYALTY, PricePerUnit.of(675)),
                        10_000, Karma.of(300), T0));
    }

    @Test
    void breaksRoundTripTiesByHigherKarma() {
        Host lower = host("island-a", "DE", 10, 600);
        Host higher = host("island-b", "DE", 10, 700);
        BidDraft bid = bid("job-1").limit(20_000);

        fixture.given(cargoRegistered(), askPlaced(lower, 5_000), askPlaced(higher, 9_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(higher, 9_000, T0));
    }

    @Test
    void breaksRoundTripAndKarmaTiesByLowerPrice() {
        Host dearer = host("island-a", "DE", 10, 700);
        Host cheaper = host("island-b", "DE", 10, 700);
        BidDraft bid = bid("job-1").limit(20_000);

        fixture.given(cargoRegistered(), askPlaced(dearer, 9_000), askPlaced(cheaper, 5_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(cheaper, 5_000, T0));
    }

    @Test
    void breaksFullTiesByIslandId() {
        Host second = host("island-b", "DE", 10, 700);
        Host first = host("island-a", "DE", 10, 700);
        BidDraft bid = bid("job-1").limit(20_000);

        fixture.given(cargoRegistered(), askPlaced(second, 9_000), askPlaced(first, 9_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(first, 9_000, T0));
    }

    @Test
    void ranksAnIslandWhoseRoundTripWasNeverMeasuredLast() {
        Host unmeasured = new Host(new IslandId("island-a"), new AccountId("host-island-a"),
                host("island-a", "DE", 1, 900).conditions.withRtt(IslandConditions.RTT_UNKNOWN));
        Host measured = host("island-b", "DE", 900, 100);
        BidDraft bid = bid("job-1").limit(20_000);

        fixture.given(cargoRegistered(), askPlaced(unmeasured, 1_000), askPlaced(measured, 9_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(measured, 9_000, T0));
    }

    @ParameterizedTest(name = "karma {0} pays a fee of {1} on an ask of 10000")
    @CsvSource({"0, 1000", "299, 1000", "300, 750", "599, 750", "600, 500", "849, 500", "850, 300",
            "1000, 300"})
    void chargesTheConsumerAskPlusRoyaltyPlusTheFeeOfTheIslandsKarmaTier(int karma, long fee) {
        Host host = host("island-a", "DE", 10, karma);
        BidDraft bid = bid("job-1").limit(20_000);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), new JobPlaced(CARGO, bid.jobId(), ALICE, host.id, host.owner,
                        new UnitPrice(PricePerUnit.of(10_000), ROYALTY, PricePerUnit.of(fee)), 10_000,
                        Karma.of(karma), T0));
    }

    @Test
    void placesWhenTheAllInPriceEqualsTheLimit() {
        Host host = host("island-a", "DE", 10, 500);
        BidDraft bid = bid("job-1").limit(10_850);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(host, 10_000, T0));
    }

    @Test
    void neverChargesAboveTheLimitEvenWhenTheAskAloneFits() {
        Host overLimit = host("island-a", "DE", 1, 500);
        Host withinLimit = host("island-b", "DE", 50, 500);
        BidDraft bid = bid("job-1").limit(10_849);

        fixture.given(cargoRegistered(), askPlaced(overLimit, 10_000), askPlaced(withinLimit, 9_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), new JobPlaced(CARGO, bid.jobId(), ALICE, withinLimit.id,
                        withinLimit.owner, new UnitPrice(PricePerUnit.of(9_000), ROYALTY, PricePerUnit.of(675)),
                        50_000, Karma.INITIAL, T0));
    }

    @Test
    void restsBidWhenNoIslandServesTheJurisdiction() {
        BidDraft bid = bid("job-1").jurisdiction(JurisdictionPolicy.eu());

        fixture.given(cargoRegistered(), askPlaced(host("island-us", "US", 1, 900), 1_000),
                        askPlaced(host("island-ch", "CH", 2, 900), 1_000))
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.resting(bid.jobId()))
                .expectEvents(bid.submitted());
    }

    @Test
    void keepsAnEuBidInsideTheEu() {
        Host american = host("island-us", "US", 1, 900);
        Host swiss = host("island-ch", "CH", 2, 900);
        Host german = host("island-de", "DE", 50, 500);
        BidDraft bid = bid("job-1").jurisdiction(JurisdictionPolicy.eu());

        fixture.given(cargoRegistered(), askPlaced(american, 1_000), askPlaced(swiss, 1_000),
                        askPlaced(german, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(german, 10_000, T0));
    }

    @Test
    void keepsAChBidInSwitzerland() {
        Host german = host("island-de", "DE", 1, 900);
        Host swiss = host("island-ch", "CH", 40, 500);
        BidDraft bid = bid("job-1").jurisdiction(JurisdictionPolicy.ch());

        fixture.given(cargoRegistered(), askPlaced(german, 1_000), askPlaced(swiss, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(swiss, 10_000, T0));
    }

    @Test
    void keepsABidInsideItsExplicitListOfCountries() {
        Host german = host("island-de", "DE", 1, 900);
        Host french = host("island-fr", "FR", 30, 500);
        Host italian = host("island-it", "IT", 20, 500);
        BidDraft bid = bid("job-1").jurisdiction(JurisdictionPolicy.parse("FR, IT"));

        fixture.given(cargoRegistered(), askPlaced(german, 1_000), askPlaced(french, 10_000),
                        askPlaced(italian, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(italian, 10_000, T0));
    }

    @Test
    void defaultsToTheConsumersRegionAndRecordsTheResolvedPolicy() {
        Host american = host("island-us", "US", 1, 900);
        Host british = host("island-gb", "GB", 2, 900);
        Host swiss = host("island-ch", "CH", 3, 900);
        Host french = host("island-fr", "FR", 40, 500);
        BidDraft bid = bid("job-1").jurisdiction(null);

        fixture.given(cargoRegistered(), askPlaced(american, 1_000), askPlaced(british, 1_000),
                        askPlaced(swiss, 1_000), askPlaced(french, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(french, 10_000, T0));
    }

    @Test
    void keepsASwissConsumersDefaultJobInSwitzerland() {
        AccountId bruno = new AccountId("bruno");
        accounts.seed(bruno.value(), new AccountOpened(bruno, Country.of("CH"), EARLIER),
                new CreditsDeposited(bruno, "deposit-1", ALICE_FUNDS, EARLIER));
        BidDraft bid = bid("job-1").consumer(bruno).jurisdiction(null);

        fixture.given(cargoRegistered(), askPlaced(host("island-de", "DE", 1, 900), 1_000))
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.resting(bid.jobId()))
                .expectEvents(bid.submitted(JurisdictionPolicy.regionOf(Country.of("CH"))));
    }

    @Test
    void neverPlacesOnAnOfflineIsland() {
        Host offline = host("island-a", "DE", 1, 900).offline();
        Host online = host("island-b", "DE", 50, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(offline, 1_000), askPlaced(online, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(online, 10_000, T0));
    }

    @Test
    void neverPlacesOnAnIslandOutsideItsSchedule() {
        Host tuesdaysOnly = host("island-a", "DE", 1, 900)
                .schedule(new AvailabilitySchedule(List.of(new AvailabilitySchedule.Window(1_440, 2_880))));
        Host mondayMornings = host("island-b", "DE", 50, 500)
                .schedule(new AvailabilitySchedule(List.of(new AvailabilitySchedule.Window(540, 660))));
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(tuesdaysOnly, 1_000), askPlaced(mondayMornings, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(mondayMornings, 10_000, T0));
    }

    @Test
    void neverPlacesOnAFullIsland() {
        Host full = host("island-a", "DE", 1, 900).slots(1);
        Host free = host("island-b", "DE", 50, 500);
        BidDraft running = bid("job-0");
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(full, 1_000), askPlaced(free, 10_000), running.submitted(),
                        running.placedOn(full, 1_000, EARLIER))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(free, 10_000, T0));
    }

    @Test
    void neverPlacesABidRequiringVerificationOnAnUnverifiedIsland() {
        Host unverified = host("island-a", "DE", 1, 900);
        Host verified = host("island-b", "DE", 50, 500).verified();
        BidDraft bid = bid("job-1").verifiedOnly();

        fixture.given(cargoRegistered(), askPlaced(unverified, 1_000), askPlaced(verified, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(verified, 10_000, T0));
    }

    @Test
    void placesABidNotRequiringVerificationOnAnUnverifiedIsland() {
        Host unverified = host("island-a", "DE", 1, 900);
        Host verified = host("island-b", "DE", 50, 500).verified();
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(unverified, 1_000), askPlaced(verified, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(unverified, 1_000, T0));
    }

    @Test
    void neverPlacesOnAnIslandBelowTheMinimumKarma() {
        Host belowMinimum = host("island-a", "DE", 1, 599);
        Host atMinimum = host("island-b", "DE", 50, 600);
        BidDraft bid = bid("job-1").minKarma(600);

        fixture.given(cargoRegistered(), askPlaced(belowMinimum, 1_000), askPlaced(atMinimum, 10_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(atMinimum, 10_000, T0));
    }

    @Test
    void restsWhenEveryIslandIsAboveTheRoundTripCeiling() {
        BidDraft bid = bid("job-1").maxRttMicros(49_999);

        fixture.given(cargoRegistered(), askPlaced(host("island-a", "DE", 50, 900), 1_000))
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.resting(bid.jobId()))
                .expectEvents(bid.submitted());
    }

    @Test
    void placesOnAnIslandExactlyAtTheRoundTripCeiling() {
        Host host = host("island-a", "DE", 50, 900);
        BidDraft bid = bid("job-1").maxRttMicros(50_000);

        fixture.given(cargoRegistered(), askPlaced(host, 1_000))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(host, 1_000, T0));
    }

    @Test
    void reservesLimitTimesMaximumUnitsInEscrow() {
        BidDraft bid = bid("job-1").limit(12_000).maxUnits(250);

        fixture.given(cargoRegistered())
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.resting(bid.jobId()))
                .expectEvents(new BidSubmitted(CARGO, bid.jobId(), ALICE, PricePerUnit.of(12_000), 250,
                        JurisdictionPolicy.eu(), Karma.NONE, Long.MAX_VALUE, false, MicroCredits.of(3_000_000),
                        T0.plus(Duration.ofMinutes(10)), T0));
        assertThat(accounts.appended())
                .containsExactly(new CreditsReserved(ALICE, bid.jobId(), MicroCredits.of(3_000_000), T0));
        assertThat(accounts.read(ALICE.value(), Account::available))
                .isEqualTo(ALICE_FUNDS.minus(MicroCredits.of(3_000_000)));
    }

    @Test
    void reservesEveryLastAvailableCredit() {
        BidDraft bid = bid("job-1").limit(1_000_000).maxUnits(100);

        fixture.given(cargoRegistered())
                .when(bid.command())
                .expectEvents(bid.submitted());
        assertThat(accounts.appended()).containsExactly(new CreditsReserved(ALICE, bid.jobId(), ALICE_FUNDS, T0));
    }

    @Test
    void aBidFundedByAHoldCountsTheHoldAsSpendableAndDrawsOnItFirst() {
        String hold = "workflow:wf-1";
        accounts.seed(ALICE.value(), new CreditsHeld(ALICE, hold, MicroCredits.credits(60), T0));
        BidDraft bid = bid("job-1").limit(1_000_000).maxUnits(100);

        fixture.given(cargoRegistered())
                .when(bid.command())
                .expectEvents(bid.rejected(RejectionReason.LEDGER_INSUFFICIENT_CREDITS));
        fixture.given(cargoRegistered())
                .when(bid.command().fundedBy(hold))
                .expectEvents(bid.submitted());

        assertThat(accounts.appended()).containsExactly(new CreditsReserved(ALICE, bid.jobId(), ALICE_FUNDS, T0,
                hold, MicroCredits.credits(60)));
        assertThat(accounts.read(ALICE.value(), Account::available)).isEqualTo(MicroCredits.ZERO);
        Optional<MicroCredits> left = accounts.read(ALICE.value(), account -> account.held(hold));
        assertThat(left).contains(MicroCredits.ZERO);
    }

    @Test
    void rejectsABidTheConsumerCannotCoverAndReservesNothing() {
        BidDraft bid = bid("job-1").limit(1_000_000).maxUnits(101);

        fixture.given(cargoRegistered(), askPlaced(host("island-a", "DE", 10, 500), 1_000))
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.rejected(bid.jobId(),
                        RejectionReason.LEDGER_INSUFFICIENT_CREDITS))
                .expectEvents(bid.rejected(RejectionReason.LEDGER_INSUFFICIENT_CREDITS));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void rejectsADuplicateJob() {
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), bid.submitted())
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.rejected(bid.jobId(), RejectionReason.MARKET_DUPLICATE_JOB))
                .expectEvents(bid.rejected(RejectionReason.MARKET_DUPLICATE_JOB));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void rejectsTheIdOfAJobThatAlreadyCompleted() {
        Host host = host("island-a", "DE", 10, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0),
                        bid.completedOn(host, 10_000, 5, T0))
                .when(bid.at(LATER).command())
                .expectEvents(bid.at(LATER).rejected(RejectionReason.MARKET_DUPLICATE_JOB));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void refusesAJobIdWhoseEscrowTheConsumerHoldsOnAnotherMarket() {
        accounts.seed(ALICE.value(), new CreditsReserved(ALICE, new JobId("job-1"), MicroCredits.of(500_000), EARLIER));

        fixture.given(cargoRegistered())
                .when(bid("job-1").command())
                .expectException(IllegalStateException.class)
                .expectNoEvents();
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void rejectsALimitBelowTheRoyalty() {
        BidDraft bid = bid("job-1").limit(99);

        fixture.given(cargoRegistered())
                .when(bid.command())
                .expectEvents(bid.rejected(RejectionReason.MARKET_LIMIT_BELOW_ROYALTY));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void acceptsALimitThatJustCoversTheRoyalty() {
        Host free = host("island-a", "DE", 10, 500);
        BidDraft bid = bid("job-1").limit(100);

        fixture.given(cargoRegistered(), askPlaced(free, 0))
                .when(bid.command())
                .expectEvents(bid.submitted(), bid.placedOn(free, 0, T0));
    }

    @Test
    void rejectsABidFromAnUnknownConsumerOfTheDefaultRegion() {
        BidDraft bid = bid("job-1").consumer(new AccountId("nobody")).jurisdiction(null);

        fixture.given(cargoRegistered())
                .when(bid.command())
                .expectResultMessagePayload(BidOutcome.rejected(bid.jobId(),
                        RejectionReason.LEDGER_UNKNOWN_ACCOUNT))
                .expectEvents(bid.rejected(RejectionReason.LEDGER_UNKNOWN_ACCOUNT));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void rejectsABidFromAnUnknownConsumerWithAnExplicitJurisdiction() {
        BidDraft bid = bid("job-1").consumer(new AccountId("nobody")).jurisdiction(JurisdictionPolicy.eu());

        fixture.given(cargoRegistered())
                .when(bid.command())
                .expectEvents(bid.rejected(RejectionReason.LEDGER_UNKNOWN_ACCOUNT));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void rejectsABidFromAnAccountThatOnlyEarns() {
        accounts.seed(PUBLISHER.value(), new AccountOpened(PUBLISHER, null, EARLIER));
        BidDraft bid = bid("job-1").consumer(PUBLISHER);

        fixture.given(cargoRegistered())
                .when(bid.command())
                .expectEvents(bid.rejected(RejectionReason.LEDGER_UNKNOWN_ACCOUNT));
        assertThat(accounts.appended()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBids")
    void refusesAMalformedBidAndLeavesNoTrace(String why, BidDraft bid) {
        fixture.given(cargoRegistered(), askPlaced(host("island-a", "DE", 10, 500), 1_000))
                .when(bid.command())
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void acceptsATimeToLiveOfExactlyOneDay() {
        BidDraft bid = bid("job-1").ttl(Duration.ofDays(1));

        fixture.given(cargoRegistered())
                .when(bid.command())
                .expectEvents(bid.submitted());
    }

    static Stream<Arguments> malformedBids() {
        return Stream.of(
                Arguments.of("zero units", bid("job-1").maxUnits(0)),
                Arguments.of("negative units", bid("job-1").maxUnits(-1)),
                Arguments.of("more than a billion units", bid("job-1").maxUnits(1_000_000_001)),
                Arguments.of("a zero limit", bid("job-1").limit(0)),
                Arguments.of("a zero time to live", bid("job-1").ttl(Duration.ZERO)),
                Arguments.of("a negative time to live", bid("job-1").ttl(Duration.ofSeconds(-1))),
                Arguments.of("a time to live over a day", bid("job-1").ttl(Duration.ofDays(1).plusNanos(1))),
                Arguments.of("a zero round-trip ceiling", bid("job-1").maxRttMicros(0)),
                Arguments.of("a limit above the price cap",
                        bid("job-1").limit(MoneyCaps.MAX_PRICE_PER_UNIT + 1).maxUnits(1)),
                Arguments.of("an escrow that would overflow", bid("job-1").limit(Long.MAX_VALUE / 2).maxUnits(3)));
    }

    @Test
    void decidesEachBidOfABatchInOrder() {
        Host host = host("island-a", "DE", 10, 500).slots(1);
        BidDraft first = bid("job-1");
        BidDraft second = bid("job-2");
        BidDraft unknown = bid("job-3").consumer(new AccountId("nobody"));

        fixture.given(cargoRegistered(), askPlaced(host, 10_000))
                .when(new SubmitBids(CARGO, List.of(first.command(), second.command(), unknown.command())))
                .expectResultMessagePayload(List.of(BidOutcome.placed(first.jobId(), host.id),
                        BidOutcome.resting(second.jobId()),
                        BidOutcome.rejected(unknown.jobId(), RejectionReason.LEDGER_UNKNOWN_ACCOUNT)))
                .expectEvents(first.submitted(), first.placedOn(host, 10_000, T0), second.submitted(),
                        unknown.rejected(RejectionReason.LEDGER_UNKNOWN_ACCOUNT));
        assertThat(accounts.appended()).containsExactly(
                new CreditsReserved(ALICE, first.jobId(), MicroCredits.of(1_200_000), T0),
                new CreditsReserved(ALICE, second.jobId(), MicroCredits.of(1_200_000), T0));
    }

    @Test
    void seesTheReservationsOfEarlierBidsOfTheSameBatch() {
        BidDraft first = bid("job-1").limit(600_000).maxUnits(100);
        BidDraft second = bid("job-2").limit(600_000).maxUnits(100);

        fixture.given(cargoRegistered())
                .when(new SubmitBids(CARGO, List.of(first.command(), second.command())))
                .expectEvents(first.submitted(), second.rejected(RejectionReason.LEDGER_INSUFFICIENT_CREDITS));
        assertThat(accounts.appended())
                .containsExactly(new CreditsReserved(ALICE, first.jobId(), MicroCredits.of(60_000_000), T0));
    }

    @Test
    void rejectsADuplicateWithinTheSameBatch() {
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered())
                .when(new SubmitBids(CARGO, List.of(bid.command(), bid.command())))
                .expectEvents(bid.submitted(), bid.rejected(RejectionReason.MARKET_DUPLICATE_JOB));
    }

    @Test
    void failsTheWholeBatchOnOneMalformedBidAndLeavesNoTrace() {
        fixture.given(cargoRegistered(), askPlaced(host("island-a", "DE", 10, 500), 10_000))
                .when(new SubmitBids(CARGO, List.of(bid("job-1").command(), bid("job-2").maxUnits(0).command())))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void recordsTheFirstTokenOfARunningJob() {
        Host host = host("island-a", "DE", 10, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new StartJob(CARGO, bid.jobId(), 180_000, LATER))
                .expectEvents(new JobStarted(CARGO, bid.jobId(), host.id, 180_000, LATER));
    }

    @Test
    void startsAJobOnlyOnce() {
        Host host = host("island-a", "DE", 10, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0),
                        new JobStarted(CARGO, bid.jobId(), host.id, 180_000, T0))
                .when(new StartJob(CARGO, bid.jobId(), 250_000, LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void recordsANegativeTimeToFirstTokenAsZero() {
        Host host = host("island-a", "DE", 10, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new StartJob(CARGO, bid.jobId(), -5, LATER))
                .expectEvents(new JobStarted(CARGO, bid.jobId(), host.id, 0, LATER));
    }

    @Test
    void refusesToStartAJobThatIsNotRunning() {
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), bid.submitted())
                .when(new StartJob(CARGO, bid.jobId(), 180_000, LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void settlesACompletedJobExactly() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        accounts.seed(host.owner.value(), new AccountOpened(host.owner, GERMANY, EARLIER));
        BidDraft bid = bid("job-1").limit(12_000).maxUnits(100);
        reserve(bid);
        UnitPrice price = new UnitPrice(PricePerUnit.of(10_000), ROYALTY, PricePerUnit.of(750));

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0),
                        new JobStarted(CARGO, bid.jobId(), host.id, 180_000, T0))
                .when(new CompleteJob(CARGO, bid.jobId(), 40, LATER))
                .expectEvents(new JobCompleted(CARGO, bid.jobId(), ALICE, host.id, host.owner, PUBLISHER, 40, price,
                                MicroCredits.of(434_000), MicroCredits.of(400_000), MicroCredits.of(4_000),
                                MicroCredits.of(30_000), MicroCredits.of(766_000), LATER),
                        new IslandConditionsChanged(CARGO, host.id, host.conditions.withKarma(Karma.of(509)),
                                LATER));
        assertThat(accounts.appended()).containsExactly(
                new CreditsSettled(ALICE, bid.jobId(), MicroCredits.of(434_000), MicroCredits.of(766_000), LATER),
                new EarningsCredited(host.owner, bid.jobId(), EarningsKind.HOST, MicroCredits.of(400_000),
                        LATER),
                new AccountOpened(PUBLISHER, null, LATER),
                new EarningsCredited(PUBLISHER, bid.jobId(), EarningsKind.ROYALTY, MicroCredits.of(4_000), LATER),
                new AccountOpened(AccountId.PLATFORM, null, LATER),
                new EarningsCredited(AccountId.PLATFORM, bid.jobId(), EarningsKind.PLATFORM_FEE,
                        MicroCredits.of(30_000), LATER));
        assertThat(islands.appended()).containsExactly(
                new KarmaChanged(host.id, Karma.INITIAL, Karma.of(509), KarmaReason.JOB_COMPLETED, "job-1", LATER));
        assertThat(accounts.read(ALICE.value(), Account::available))
                .isEqualTo(ALICE_FUNDS.minus(MicroCredits.of(434_000)));
        assertThat(accounts.read(ALICE.value(), Account::inEscrow)).isEqualTo(MicroCredits.ZERO);
        assertThat(accounts.read(host.owner.value(), Account::earnings)).isEqualTo(MicroCredits.of(400_000));
    }

    @Test
    void capsUnitsAboveTheBidsMaximum() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        BidDraft bid = bid("job-1").limit(12_000).maxUnits(100);
        reserve(bid);
        UnitPrice price = new UnitPrice(PricePerUnit.of(10_000), ROYALTY, PricePerUnit.of(750));

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new CompleteJob(CARGO, bid.jobId(), 500, LATER))
                .expectEvents(new JobCompleted(CARGO, bid.jobId(), ALICE, host.id, host.owner, PUBLISHER, 100,
                                price, MicroCredits.of(1_085_000), MicroCredits.of(1_000_000),
                                MicroCredits.of(10_000), MicroCredits.of(75_000), MicroCredits.of(115_000), LATER),
                        new IslandConditionsChanged(CARGO, host.id, host.conditions.withKarma(Karma.of(509)),
                                LATER));
        assertThat(accounts.appended(CreditsSettled.class)).containsExactly(new CreditsSettled(ALICE,
                bid.jobId(), MicroCredits.of(1_085_000), MicroCredits.of(115_000), LATER));
    }

    @Test
    void settlesAJobThatUsedNothingWithoutEarnings() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        BidDraft bid = bid("job-1").limit(12_000).maxUnits(100);
        reserve(bid);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new CompleteJob(CARGO, bid.jobId(), 0, LATER));
        assertThat(accounts.appended()).containsExactly(
                new CreditsSettled(ALICE, bid.jobId(), MicroCredits.ZERO, MicroCredits.of(1_200_000), LATER));
    }

    @Test
    void earnsLessKarmaForASlowRoundTripAndFirstToken() {
        Host slow = host("island-a", "DE", 1_500, 500);
        register(slow);
        BidDraft bid = bid("job-1");
        reserve(bid);

        fixture.given(cargoRegistered(), askPlaced(slow, 10_000), bid.submitted(), bid.placedOn(slow, 10_000, T0),
                        new JobStarted(CARGO, bid.jobId(), slow.id, 600_000, T0))
                .when(new CompleteJob(CARGO, bid.jobId(), 10, LATER))
                .expectSuccessfulHandlerExecution();
        assertThat(islands.appended()).containsExactly(
                new KarmaChanged(slow.id, Karma.INITIAL, Karma.of(501), KarmaReason.JOB_COMPLETED, "job-1", LATER));
    }

    @Test
    void placesARestingBidOnTheSlotACompletedJobFrees() {
        Host host = host("island-a", "DE", 20, 500).slots(1);
        register(host);
        BidDraft running = bid("job-1");
        BidDraft waiting = bid("job-2");
        reserve(running);
        Host afterSuccess = host.karma(509);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), running.submitted(),
                        running.placedOn(host, 10_000, T0), waiting.submitted())
                .when(new CompleteJob(CARGO, running.jobId(), 10, LATER))
                .expectEvents(running.completedOn(host, 10_000, 10, LATER),
                        new IslandConditionsChanged(CARGO, host.id, afterSuccess.conditions, LATER),
                        waiting.placedOn(afterSuccess, 10_000, LATER));
    }

    @Test
    void refusesNegativeUnits() {
        Host host = host("island-a", "DE", 20, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new CompleteJob(CARGO, bid.jobId(), -1, LATER))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void refusesToSettleAJobTwice() {
        Host host = host("island-a", "DE", 20, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0),
                        bid.completedOn(host, 10_000, 10, T0))
                .when(new CompleteJob(CARGO, bid.jobId(), 10, LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
        assertThat(accounts.appended()).isEmpty();
        assertThat(islands.appended()).isEmpty();
    }

    @Test
    void refundsTheWholeEscrowAndCostsTheIslandKarma() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        BidDraft bid = bid("job-1").limit(12_000).maxUnits(100);
        reserve(bid);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new FailJob(CARGO, bid.jobId(), "stalled past its deadline", LATER))
                .expectEvents(new JobFailed(CARGO, bid.jobId(), ALICE, host.id, "stalled past its deadline",
                                MicroCredits.of(1_200_000), LATER),
                        new IslandConditionsChanged(CARGO, host.id, host.conditions.withKarma(Karma.of(460)),
                                LATER));
        assertThat(accounts.appended()).containsExactly(new CreditsReleased(ALICE, bid.jobId(),
                MicroCredits.of(1_200_000), "job failed: stalled past its deadline", LATER));
        assertThat(islands.appended()).containsExactly(
                new KarmaChanged(host.id, Karma.INITIAL, Karma.of(460), KarmaReason.JOB_FAILED, "job-1", LATER));
        assertThat(accounts.read(ALICE.value(), Account::available)).isEqualTo(ALICE_FUNDS);
    }

    @Test
    void placesARestingBidOnTheSlotAFailedJobFrees() {
        Host host = host("island-a", "DE", 20, 500).slots(1);
        register(host);
        BidDraft failing = bid("job-1");
        BidDraft waiting = bid("job-2");
        reserve(failing);
        Host afterFailure = host.karma(460);

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), failing.submitted(),
                        failing.placedOn(host, 10_000, T0), waiting.submitted())
                .when(new FailJob(CARGO, failing.jobId(), "malformed result", LATER))
                .expectEvents(new JobFailed(CARGO, failing.jobId(), ALICE, host.id, "malformed result",
                                MicroCredits.of(1_200_000), LATER),
                        new IslandConditionsChanged(CARGO, host.id, afterFailure.conditions, LATER),
                        waiting.placedOn(afterFailure, 10_000, LATER));
    }

    @Test
    void refusesAFailureWithoutAReason() {
        Host host = host("island-a", "DE", 20, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new FailJob(CARGO, bid.jobId(), " ", LATER))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void settlesTheUnitsDeliveredToAConsumerWhoLeftAndLeavesKarmaAlone() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        accounts.seed(host.owner.value(), new AccountOpened(host.owner, GERMANY, EARLIER));
        BidDraft bid = bid("job-1");
        reserve(bid);
        UnitPrice price = new UnitPrice(PricePerUnit.of(10_000), ROYALTY, PricePerUnit.of(750));

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0),
                        new JobStarted(CARGO, bid.jobId(), host.id, 180_000, T0))
                .when(new CancelJob(CARGO, bid.jobId(), 7, "the client closed the connection", LATER))
                .expectEvents(new JobCancelled(CARGO, bid.jobId(), ALICE, host.id, host.owner, PUBLISHER, 7, price,
                        MicroCredits.of(75_950), MicroCredits.of(70_000), MicroCredits.of(700), MicroCredits.of(5_250),
                        MicroCredits.of(1_124_050), "the client closed the connection", LATER));
        assertThat(accounts.appended()).contains(
                new CreditsSettled(ALICE, bid.jobId(), MicroCredits.of(75_950), MicroCredits.of(1_124_050), LATER),
                new EarningsCredited(host.owner, bid.jobId(), EarningsKind.HOST, MicroCredits.of(70_000), LATER));
        assertThat(islands.appended()).isEmpty();
        assertThat(accounts.read(ALICE.value(), Account::available))
                .isEqualTo(ALICE_FUNDS.minus(MicroCredits.of(75_950)));
        assertThat(accounts.read(ALICE.value(), Account::inEscrow)).isEqualTo(MicroCredits.ZERO);
    }

    @Test
    void cancelsAJobAtItsMaximumUnitsAtMost() {
        Host host = host("island-a", "DE", 20, 500);
        register(host);
        BidDraft bid = bid("job-1");
        reserve(bid);
        UnitPrice price = new UnitPrice(PricePerUnit.of(10_000), ROYALTY, PricePerUnit.of(750));

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new CancelJob(CARGO, bid.jobId(), 5_000, "the client closed the connection", LATER))
                .expectEvents(new JobCancelled(CARGO, bid.jobId(), ALICE, host.id, host.owner, PUBLISHER, 100, price,
                        MicroCredits.of(1_085_000), MicroCredits.of(1_000_000), MicroCredits.of(10_000),
                        MicroCredits.of(75_000), MicroCredits.of(115_000), "the client closed the connection",
                        LATER));
    }

    @Test
    void placesARestingBidOnTheSlotACancelledJobFrees() {
        Host host = host("island-a", "DE", 20, 500).slots(1);
        register(host);
        BidDraft leaving = bid("job-1");
        BidDraft waiting = bid("job-2");
        reserve(leaving);
        UnitPrice price = new UnitPrice(PricePerUnit.of(10_000), ROYALTY, PricePerUnit.of(750));

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), leaving.submitted(),
                        leaving.placedOn(host, 10_000, T0), waiting.submitted())
                .when(new CancelJob(CARGO, leaving.jobId(), 0, "the client closed the connection", LATER))
                .expectEvents(new JobCancelled(CARGO, leaving.jobId(), ALICE, host.id, host.owner, PUBLISHER, 0,
                                price, MicroCredits.ZERO, MicroCredits.ZERO, MicroCredits.ZERO, MicroCredits.ZERO,
                                MicroCredits.of(1_200_000), "the client closed the connection", LATER),
                        waiting.placedOn(host, 10_000, LATER));
    }

    @Test
    void withdrawsARestingBidWithItsWholeEscrow() {
        BidDraft bid = bid("job-1");
        reserve(bid);

        fixture.given(cargoRegistered(), bid.submitted())
                .when(new CancelJob(CARGO, bid.jobId(), 3, "the client closed the connection", LATER))
                .expectEvents(new BidCancelled(CARGO, bid.jobId(), ALICE, MicroCredits.of(1_200_000),
                        "the client closed the connection", LATER));
        assertThat(accounts.appended()).containsExactly(new CreditsReleased(ALICE, bid.jobId(),
                MicroCredits.of(1_200_000), "bid cancelled: the client closed the connection", LATER));
        assertThat(accounts.read(ALICE.value(), Account::available)).isEqualTo(ALICE_FUNDS);
    }

    @Test
    void refusesToCancelAJobThatIsNeitherRestingNorRunning() {
        fixture.given(cargoRegistered())
                .when(new CancelJob(CARGO, new JobId("job-1"), 0, "the client closed the connection", LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void refusesACancellationWithNegativeUnits() {
        Host host = host("island-a", "DE", 20, 500);
        BidDraft bid = bid("job-1");

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), bid.submitted(), bid.placedOn(host, 10_000, T0))
                .when(new CancelJob(CARGO, bid.jobId(), -1, "the client closed the connection", LATER))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void refusesToFailAJobThatIsNotRunning() {
        fixture.given(cargoRegistered())
                .when(new FailJob(CARGO, new JobId("job-1"), "lost", LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void expiresOnlyBidsWhoseTimeToLiveHasPassedAndReleasesTheirEscrow() {
        BidDraft due = bid("job-1").ttl(Duration.ofMinutes(1));
        BidDraft notYetDue = bid("job-2").ttl(Duration.ofMinutes(10));
        reserve(due);
        reserve(notYetDue);
        Instant oneMinuteLater = T0.plus(Duration.ofMinutes(1));

        fixture.given(cargoRegistered(), due.submitted(), notYetDue.submitted())
                .when(new ExpireBids(CARGO, oneMinuteLater))
                .expectEvents(new BidExpired(CARGO, due.jobId(), ALICE, MicroCredits.of(1_200_000),
                        oneMinuteLater));
        assertThat(accounts.appended()).containsExactly(new CreditsReleased(ALICE, due.jobId(),
                MicroCredits.of(1_200_000), "bid expired", oneMinuteLater));
        assertThat(accounts.read(ALICE.value(), Account::inEscrow)).isEqualTo(MicroCredits.of(1_200_000));
    }

    @Test
    void leavesPlacedJobsAlone() {
        Host host = host("island-a", "DE", 20, 500);
        BidDraft placed = bid("job-1").ttl(Duration.ofMinutes(1));

        fixture.given(cargoRegistered(), askPlaced(host, 10_000), placed.submitted(),
                        placed.placedOn(host, 10_000, T0))
                .when(new ExpireBids(CARGO, T0.plus(Duration.ofHours(1))))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void doesNotExpireTheSameBidTwice() {
        BidDraft due = bid("job-1").ttl(Duration.ofMinutes(1));
        Instant oneMinuteLater = T0.plus(Duration.ofMinutes(1));

        fixture.given(cargoRegistered(), due.submitted(),
                        new BidExpired(CARGO, due.jobId(), ALICE, MicroCredits.of(1_200_000), oneMinuteLater))
                .when(new ExpireBids(CARGO, oneMinuteLater.plusSeconds(60)))
                .expectNoEvents();
    }

    @Test
    void clearsTheVolumeWeightedAskPriceOfTheLastFifteenMinutesWithBestBidAskAndDepth() {
        Host a = host("island-a", "DE", 10, 500).slots(10);
        Host b = host("island-b", "DE", 20, 500).slots(10);
        Host offline = host("island-c", "DE", 5, 500).offline();
        Instant clearing = T0.plus(Duration.ofMinutes(20));
        BidDraft old = bid("job-0");
        BidDraft first = bid("job-1");
        BidDraft second = bid("job-2");
        BidDraft resting = bid("job-3").limit(800).ttl(Duration.ofHours(1));
        BidDraft expired = bid("job-4").limit(900).ttl(Duration.ofMinutes(1));
        List<Object> history = new ArrayList<>(List.of(cargoRegistered(), askPlaced(a, 1_000),
                askPlaced(b, 2_000), askPlaced(offline, 500)));
        history.addAll(old.trade(a, 1_000, 50, T0.plus(Duration.ofMinutes(4))));
        history.addAll(first.trade(a, 1_000, 10, T0.plus(Duration.ofMinutes(5))));
        history.addAll(second.trade(b, 2_000, 30, T0.plus(Duration.ofMinutes(19))));
        history.addAll(List.of(resting.submitted(), expired.submitted()));

        fixture.given(history)
                .when(new ClearMarketRate(CARGO, clearing))
                .expectEvents(new MarketRateCleared(CARGO, PricePerUnit.of(1_750), 40, 2, PricePerUnit.of(800),
                        PricePerUnit.of(1_000), 1, 2, T0.plus(Duration.ofMinutes(5)), clearing));
    }

    @Test
    void roundsTheRateDownToWholeMicroCredits() {
        Host a = host("island-a", "DE", 10, 500).slots(10);
        Host b = host("island-b", "DE", 20, 500).slots(10);
        List<Object> history = new ArrayList<>(List.of(cargoRegistered(), askPlaced(a, 1_000),
                askPlaced(b, 2_000)));
        history.addAll(bid("job-1").trade(a, 1_000, 1, T0));
        history.addAll(bid("job-2").trade(b, 2_000, 2, T0));

        fixture.given(history)
                .when(new ClearMarketRate(CARGO, LATER))
                .expectEvents(new MarketRateCleared(CARGO, PricePerUnit.of(1_666), 3, 2, null,
                        PricePerUnit.of(1_000), 0, 2, LATER.minus(Duration.ofMinutes(15)), LATER));
    }

    @Test
    void clearsNoRateWhenNothingTradedInTheWindow() {
        Host a = host("island-a", "DE", 10, 500);
        List<Object> history = new ArrayList<>(List.of(cargoRegistered(), askPlaced(a, 1_000)));
        history.addAll(bid("job-1").trade(a, 1_000, 10, T0));
        Instant clearing = T0.plus(Duration.ofMinutes(16));

        fixture.given(history)
                .when(new ClearMarketRate(CARGO, clearing))
                .expectEvents(new MarketRateCleared(CARGO, null, 0, 0, null, PricePerUnit.of(1_000), 0, 1,
                        T0.plus(Duration.ofMinutes(1)), clearing));
    }

    @Test
    void keepsClearingFromTheWindowAnEarlierClearingSlid() {
        Host a = host("island-a", "DE", 10, 500).slots(10);
        List<Object> history = new ArrayList<>(List.of(cargoRegistered(), askPlaced(a, 1_000)));
        history.addAll(bid("job-1").trade(a, 1_000, 10, T0));
        Instant firstClearing = T0.plus(Duration.ofMinutes(16));
        history.add(new MarketRateCleared(CARGO, null, 0, 0, null, PricePerUnit.of(1_000), 0, 1,
                T0.plus(Duration.ofMinutes(1)), firstClearing));
        history.addAll(bid("job-2").trade(a, 1_000, 4, firstClearing));
        Instant secondClearing = firstClearing.plusSeconds(1);

        fixture.given(history)
                .when(new ClearMarketRate(CARGO, secondClearing))
                .expectEvents(new MarketRateCleared(CARGO, PricePerUnit.of(1_000), 4, 1, null,
                        PricePerUnit.of(1_000), 0, 1, secondClearing.minus(Duration.ofMinutes(15)),
                        secondClearing));
    }

    private static CargoRegistered cargoRegistered() {
        return new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, T0.minus(1, DAYS));
    }

    private static AskPlaced askPlaced(Host host, long price) {
        return new AskPlaced(CARGO, host.id, host.owner, PricePerUnit.of(price), host.conditions, EARLIER);
    }

    /** An online, unverified Island in {@code country} with four slots, always open. */
    private static Host host(String id, String country, long rttMillis, int karma) {
        return new Host(new IslandId(id), new AccountId("host-" + id), new IslandConditions(Country.of(country), 4,
                AvailabilitySchedule.ALWAYS, false, true, rttMillis * 1_000, Karma.of(karma)));
    }

    /** Stores the Island's history so that the Islands port loads it with exactly {@code host}'s conditions. */
    private void register(Host host) {
        IslandConditions c = host.conditions;
        List<Object> history = new ArrayList<>();
        history.add(new IslandRegistered(host.id, host.owner, c.country(), Set.of(CARGO), c.slots(), c.schedule(),
                c.verified(), Karma.INITIAL, EARLIER));
        if (c.online()) {
            history.add(new IslandWentOnline(host.id, EARLIER));
        }
        if (c.rttMicros() != IslandConditions.RTT_UNKNOWN) {
            history.add(new IslandRttMeasured(host.id, c.rttMicros(), EARLIER));
        }
        if (!c.karma().equals(Karma.INITIAL)) {
            history.add(new KarmaChanged(host.id, Karma.INITIAL, c.karma(), KarmaReason.JOB_COMPLETED, "earlier",
                    EARLIER));
        }
        islands.seed(host.id.value(), history.toArray());
    }

    /** Stores the escrow the consumer's account holds for a bid submitted earlier. */
    private void reserve(BidDraft bid) {
        BidSubmitted submitted = bid.submitted();
        accounts.seed(submitted.consumer().value(),
                new CreditsReserved(submitted.consumer(), submitted.jobId(), submitted.escrow(), submitted.at()));
    }

    private static BidDraft bid(String jobId) {
        return new BidDraft(new JobId(jobId), ALICE, 12_000, 100, JurisdictionPolicy.eu(), null, null, false,
                Duration.ofMinutes(10), T0);
    }

    /** An Island as the market lists it: id, host account and the conditions placement looks at. */
    private record Host(IslandId id, AccountId owner, IslandConditions conditions) {

        Host offline() {
            return new Host(id, owner, conditions.withOnline(false));
        }

        Host verified() {
            return new Host(id, owner, conditions.withVerified(true));
        }

        Host karma(int points) {
            return new Host(id, owner, conditions.withKarma(Karma.of(points)));
        }

        Host slots(int slots) {
            IslandConditions c = conditions;
            return new Host(id, owner, new IslandConditions(c.country(), slots, c.schedule(), c.verified(),
                    c.online(), c.rttMicros(), c.karma()));
        }

        Host schedule(AvailabilitySchedule schedule) {
            IslandConditions c = conditions;
            return new Host(id, owner, new IslandConditions(c.country(), c.slots(), schedule, c.verified(),
                    c.online(), c.rttMicros(), c.karma()));
        }
    }

    /** A bid under construction, and the events the market records for it. */
    record BidDraft(JobId jobId, AccountId consumer, long limit, long maxUnits,
                    @Nullable JurisdictionPolicy jurisdiction, @Nullable Integer minKarma, @Nullable Long maxRtt,
                    boolean verified, Duration ttl, Instant at) {

        BidDraft limit(long newLimit) {
            return new BidDraft(jobId, consumer, newLimit, maxUnits, jurisdiction, minKarma, maxRtt, verified, ttl, at);
        }

        BidDraft maxUnits(long units) {
            return new BidDraft(jobId, consumer, limit, units, jurisdiction, minKarma, maxRtt, verified, ttl, at);
        }

        BidDraft jurisdiction(@Nullable JurisdictionPolicy policy) {
            return new BidDraft(jobId, consumer, limit, maxUnits, policy, minKarma, maxRtt, verified, ttl, at);
        }

        BidDraft consumer(AccountId account) {
            return new BidDraft(jobId, account, limit, maxUnits, jurisdiction, minKarma, maxRtt, verified, ttl, at);
        }

        BidDraft minKarma(int points) {
            return new BidDraft(jobId, consumer, limit, maxUnits, jurisdiction, points, maxRtt, verified, ttl, at);
        }

        BidDraft maxRttMicros(long micros) {
            return new BidDraft(jobId, consumer, limit, maxUnits, jurisdiction, minKarma, micros, verified, ttl, at);
        }

        BidDraft verifiedOnly() {
            return new BidDraft(jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRtt, true, ttl, at);
        }

        BidDraft ttl(Duration timeToLive) {
            return new BidDraft(jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRtt, verified,
                    timeToLive, at);
        }

        BidDraft at(Instant instant) {
            return new BidDraft(jobId, consumer, limit, maxUnits, jurisdiction, minKarma, maxRtt, verified, ttl,
                    instant);
        }

        SubmitBid command() {
            return new SubmitBid(CARGO, jobId, consumer, PricePerUnit.of(limit), maxUnits, jurisdiction,
                    minKarma == null ? null : Karma.of(minKarma), maxRtt, verified, ttl, at);
        }

        /** As recorded for a consumer living in Germany when the bid names no jurisdiction. */
        BidSubmitted submitted() {
            return submitted(jurisdiction == null ? JurisdictionPolicy.regionOf(GERMANY) : jurisdiction);
        }

        BidSubmitted submitted(JurisdictionPolicy resolved) {
            return new BidSubmitted(CARGO, jobId, consumer, PricePerUnit.of(limit), maxUnits, resolved,
                    minKarma == null ? Karma.NONE : Karma.of(minKarma),
                    maxRtt == null ? Long.MAX_VALUE : maxRtt, verified,
                    PricePerUnit.of(limit).times(maxUnits), at.plus(ttl), at);
        }

        BidRejected rejected(RejectionReason reason) {
            return new BidRejected(CARGO, jobId, consumer, reason, "", at);
        }

        JobPlaced placedOn(Host host, long ask, Instant when) {
            Karma karma = host.conditions.karma();
            return new JobPlaced(CARGO, jobId, consumer, host.id, host.owner,
                    Pricing.quote(PricePerUnit.of(ask), ROYALTY, karma), host.conditions.rttMicros(), karma, when);
        }

        JobCompleted completedOn(Host host, long ask, long units, Instant when) {
            UnitPrice price = Pricing.quote(PricePerUnit.of(ask), ROYALTY, host.conditions.karma());
            MicroCredits charged = price.charge(units);
            return new JobCompleted(CARGO, jobId, consumer, host.id, host.owner, PUBLISHER, units, price, charged,
                    price.hostEarnings(units), price.royalties(units), price.fees(units),
                    submitted().escrow().minus(charged), when);
        }

        /** Submitted, placed on {@code host} and completed with {@code units} at {@code when}: one trade. */
        List<Object> trade(Host host, long ask, long units, Instant when) {
            BidDraft timed = at(when);
            return List.of(timed.submitted(), timed.placedOn(host, ask, when),
                    timed.completedOn(host, ask, units, when));
        }
    }
}

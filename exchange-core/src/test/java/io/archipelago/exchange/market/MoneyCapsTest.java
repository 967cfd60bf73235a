package io.archipelago.exchange.market;

import static java.time.temporal.ChronoUnit.DAYS;
import static java.time.temporal.ChronoUnit.HOURS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.RepositoryIslands;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandRttMeasured;
import io.archipelago.exchange.island.api.IslandWentOffline;
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.island.api.OfflineReason;
import io.archipelago.exchange.island.api.TakeIslandOffline;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.karma.api.KarmaChanged;
import io.archipelago.exchange.karma.api.KarmaReason;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.RepriceAsk;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import java.time.Instant;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The price caps through Axon's fixtures: a price above {@link MoneyCaps#MAX_PRICE_PER_UNIT} is refused with the cap
 * in the message and leaves nothing; and an ask recorded before the caps, priced at one karma tier, is still priced
 * when its Island crosses into a dearer tier, so the Island can be taken offline and its jobs failed with their
 * escrow released.
 */
class MoneyCapsTest {

    private static final CargoType CARGO = new CargoType("llm.chat.llama3-8b");
    private static final PricePerUnit ROYALTY = PricePerUnit.of(100);
    private static final AccountId WHALE = new AccountId("whale");
    private static final JobId JOB = new JobId("job-1");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(30);
    private static final Instant EARLIER = T0.minus(1, HOURS);
    /** Fits {@code ask x 300} basis points (karma 850 and above) but overflows {@code ask x 500} (600 to 849). */
    private static final PricePerUnit UNCAPPED_ASK = PricePerUnit.of(Long.MAX_VALUE / 400);
    private static final PricePerUnit UNCAPPED_LIMIT = PricePerUnit.of(Long.MAX_VALUE / 300);
    private static final Karma TOP_TIER = Karma.of(860);

    private final AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);
    private final AggregateStore<Island> islands = AggregateStore.of(Island.class);
    private final IslandId islandId = new IslandId("island-a");
    private final AccountId owner = new AccountId("host-a");
    private final IslandConditions conditions = new IslandConditions(Country.of("DE"), 4,
            AvailabilitySchedule.ALWAYS, false, true, 20_000, TOP_TIER);

    @BeforeEach
    void wirePorts() {
        fixture.setReportIllegalStateChange(false);
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        fixture.registerInjectableResource(new RepositoryIslands(islands::repository,
                new RepositoryMarkets(fixture::getRepository)));
        islands.seed(islandId.value(), islandHistory());
    }

    @Test
    void refusesAnAskAboveThePriceCapAtAnyTierAndSaysWhatTheCapIs() {
        fixture.given(cargoRegistered())
                .when(new PlaceAsk(CARGO, islandId, UNCAPPED_ASK, T0))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage(containsString("at most " + MoneyCaps.MAX_PRICE_PER_UNIT + " micro-credits"))
                .expectNoEvents();
        fixture.given(cargoRegistered(), askPlaced(PricePerUnit.of(5_000)))
                .when(new RepriceAsk(CARGO, islandId, PricePerUnit.of(MoneyCaps.MAX_PRICE_PER_UNIT + 1), T0))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage(containsString("at most " + MoneyCaps.MAX_PRICE_PER_UNIT + " micro-credits"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterCargo(CARGO, CargoUnit.THOUSAND_TOKENS, new AccountId("publisher"),
                        PricePerUnit.of(Long.MAX_VALUE), T0))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage(containsString("a Cargo's royalty per unit is at most"))
                .expectNoEvents();
    }

    @Test
    void acceptsAnAskAtThePriceCap() {
        PricePerUnit cap = PricePerUnit.of(MoneyCaps.MAX_PRICE_PER_UNIT);

        fixture.given(cargoRegistered())
                .when(new PlaceAsk(CARGO, islandId, cap, T0))
                .expectEvents(new AskPlaced(CARGO, islandId, owner, cap, conditions, T0));
    }

    @Test
    void failsAJobAndReleasesItsEscrowWhenTheFailureDropsItsIslandIntoADearerTier() {
        accounts.seed(WHALE.value(), new AccountOpened(WHALE, Country.of("DE"), T0.minus(1, DAYS)),
                new CreditsDeposited(WHALE, "deposit-1", escrow(), T0.minus(1, DAYS)),
                new CreditsReserved(WHALE, JOB, escrow(), T0));
        Karma afterFailure = Karma.of(820);

        fixture.given(cargoRegistered(), askPlaced(UNCAPPED_ASK), submitted(), placed())
                .when(new FailJob(CARGO, JOB, "lost", LATER))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new JobFailed(CARGO, JOB, WHALE, islandId, "lost", escrow(), LATER),
                        new IslandConditionsChanged(CARGO, islandId, conditions.withKarma(afterFailure), LATER));
        assertThat(accounts.appended()).containsExactly(
                new CreditsReleased(WHALE, JOB, escrow(), "job failed: lost", LATER));
        assertThat(islands.appended()).containsExactly(
                new KarmaChanged(islandId, TOP_TIER, afterFailure, KarmaReason.JOB_FAILED, JOB.value(), LATER));
    }

    @Test
    void takesAnIslandOfflineWhenMissedHeartbeatsDropItIntoADearerTier() {
        AggregateTestFixture<Island> islandFixture = new AggregateTestFixture<>(Island.class);
        AggregateStore<Market> markets = AggregateStore.of(Market.class);
        markets.seed(CARGO.value(), cargoRegistered(), askPlaced(UNCAPPED_ASK));
        islandFixture.registerInjectableResource(new RepositoryMarkets(markets::repository));
        Karma afterMissedHeartbeats = Karma.of(845);

        islandFixture.given(islandHistory())
                .when(new TakeIslandOffline(islandId, OfflineReason.HEARTBEATS_MISSED, LATER))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new IslandWentOffline(islandId, OfflineReason.HEARTBEATS_MISSED, LATER),
                        new KarmaChanged(islandId, TOP_TIER, afterMissedHeartbeats, KarmaReason.WENT_OFFLINE, null,
                                LATER));
        assertThat(markets.appended()).containsExactly(new IslandConditionsChanged(CARGO, islandId,
                conditions.withOnline(false).withKarma(afterMissedHeartbeats), LATER));
    }

    private Object[] islandHistory() {
        return new Object[] {
                new IslandRegistered(islandId, owner, conditions.country(), Set.of(CARGO), conditions.slots(),
                        conditions.schedule(), false, Karma.INITIAL, EARLIER),
                new IslandWentOnline(islandId, EARLIER),
                new IslandRttMeasured(islandId, conditions.rttMicros(), EARLIER),
                new KarmaChanged(islandId, Karma.INITIAL, TOP_TIER, KarmaReason.JOB_COMPLETED, "earlier", EARLIER)};
    }

    private static CargoRegistered cargoRegistered() {
        return new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, new AccountId("publisher"), ROYALTY,
                T0.minus(1, DAYS));
    }

    private AskPlaced askPlaced(PricePerUnit price) {
        return new AskPlaced(CARGO, islandId, owner, price, conditions, EARLIER);
    }

    /** A bid for one unit whose limit pays the uncapped ask at the top tier, as recorded before the caps. */
    private static BidSubmitted submitted() {
        return new BidSubmitted(CARGO, JOB, WHALE, UNCAPPED_LIMIT, 1, JurisdictionPolicy.eu(), Karma.NONE,
                Long.MAX_VALUE, false, escrow(), T0.plusSeconds(600), T0);
    }

    private JobPlaced placed() {
        return new JobPlaced(CARGO, JOB, WHALE, islandId, owner, Pricing.quote(UNCAPPED_ASK, ROYALTY, TOP_TIER),
                conditions.rttMicros(), TOP_TIER, T0);
    }

    private static MicroCredits escrow() {
        return UNCAPPED_LIMIT.times(1);
    }
}

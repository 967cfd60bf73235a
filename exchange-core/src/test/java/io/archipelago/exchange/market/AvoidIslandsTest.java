package io.archipelago.exchange.market;

import static java.time.temporal.ChronoUnit.DAYS;
import static java.time.temporal.ChronoUnit.HOURS;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
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
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bid's Islands to avoid, through Axon's fixture with the production ports: a soft preference the market honours
 * whenever another eligible Island can take the bid, at submission and when a resting bid is placed later, and
 * ignores (rather than rest the bid) when only avoided Islands can take it. Hard constraints are never relaxed for it.
 */
class AvoidIslandsTest {

    private static final CargoType CARGO = new CargoType("llm.chat.llama3-8b");
    private static final PricePerUnit ROYALTY = PricePerUnit.of(100);
    private static final PricePerUnit ASK = PricePerUnit.of(5_000);
    private static final AccountId ALICE = new AccountId("alice");
    private static final JobId JOB = new JobId("batch-1-item-0");
    private static final long LIMIT = 12_000;
    private static final long MAX_UNITS = 10;
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(30);
    private static final Instant EARLIER = T0.minus(1, HOURS);

    private final AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);
    private final AggregateStore<Island> islands = AggregateStore.of(Island.class);
    private final Host near = host("island-near", "DE", 10);
    private final Host middle = host("island-middle", "NL", 20);
    private final Host far = host("island-far", "DE", 30);
    private final Host outside = host("island-outside", "US", 1);

    @BeforeEach
    void wirePorts() {
        fixture.setReportIllegalStateChange(false);
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        fixture.registerInjectableResource(new RepositoryIslands(islands::repository,
                new RepositoryMarkets(fixture::getRepository)));
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of("DE"), T0.minus(1, DAYS)),
                new CreditsDeposited(ALICE, "deposit-1", MicroCredits.credits(100), T0.minus(1, DAYS)));
        for (Host host : new Host[] {near, middle, far, outside}) {
            register(host);
        }
    }

    @Test
    void placesABidOnTheBestIslandItDoesNotAvoid() {
        Set<IslandId> avoid = Set.of(near.id, middle.id);

        fixture.given(cargoRegistered(), askPlaced(near), askPlaced(middle), askPlaced(far))
                .when(bid(avoid))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(BidOutcome.placed(JOB, far.id))
                .expectEvents(submitted(avoid), placedOn(far, T0));
    }

    @Test
    void placesOnTheBestAvoidedIslandWhenNoOtherCanTakeTheBid() {
        Set<IslandId> avoid = Set.of(near.id, far.id);

        // the US Island is nearest of all but outside the EU: avoiding never relaxes a hard constraint
        fixture.given(cargoRegistered(), askPlaced(outside), askPlaced(far), askPlaced(near))
                .when(bid(avoid))
                .expectResultMessagePayload(BidOutcome.placed(JOB, near.id))
                .expectEvents(submitted(avoid), placedOn(near, T0));
    }

    @Test
    void placesOnAnAvoidedIslandRatherThanRestWhileTheOthersAreOffline() {
        Set<IslandId> avoid = Set.of(near.id);

        fixture.given(cargoRegistered(), askPlaced(near), askPlaced(far.offline()))
                .when(bid(avoid))
                .expectResultMessagePayload(BidOutcome.placed(JOB, near.id))
                .expectEvents(submitted(avoid), placedOn(near, T0));
    }

    @Test
    void aRestingBidStillAvoidsWhenAnotherIslandComesOnline() {
        Set<IslandId> avoid = Set.of(near.id);

        // the avoided Island stands open in the book: without the preference the bid would go to it, the nearest
        fixture.given(cargoRegistered(), askPlaced(near), askPlaced(far.offline()), submitted(avoid))
                .whenInvoking(CARGO.value(), market -> market.updateConditions(far.id, far.conditions, LATER))
                .expectEvents(new IslandConditionsChanged(CARGO, far.id, far.conditions, LATER),
                        placedOn(far, LATER));
    }

    @Test
    void aBidWithoutIslandsToAvoidGoesToTheNearestAsBefore() {
        fixture.given(cargoRegistered(), askPlaced(near), askPlaced(far))
                .when(new SubmitBid(CARGO, JOB, ALICE, PricePerUnit.of(LIMIT), MAX_UNITS, JurisdictionPolicy.eu(),
                        null, null, false, Duration.ofMinutes(1), T0))
                .expectResultMessagePayload(BidOutcome.placed(JOB, near.id))
                .expectEvents(submitted(Set.of()), placedOn(near, T0));
    }

    private static SubmitBid bid(Set<IslandId> avoid) {
        return new SubmitBid(CARGO, JOB, ALICE, PricePerUnit.of(LIMIT), MAX_UNITS, JurisdictionPolicy.eu(), null,
                null, false, Duration.ofMinutes(1), T0, avoid);
    }

    private static BidSubmitted submitted(Set<IslandId> avoid) {
        return new BidSubmitted(CARGO, JOB, ALICE, PricePerUnit.of(LIMIT), MAX_UNITS, JurisdictionPolicy.eu(),
                Karma.NONE, Long.MAX_VALUE, false, PricePerUnit.of(LIMIT).times(MAX_UNITS),
                T0.plus(Duration.ofMinutes(1)), T0, avoid);
    }

    private static CargoRegistered cargoRegistered() {
        return new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, new AccountId("publisher"), ROYALTY,
                T0.minus(1, DAYS));
    }

    private static AskPlaced askPlaced(Host host) {
        return new AskPlaced(CARGO, host.id, host.owner, ASK, host.conditions, EARLIER);
    }

    private static JobPlaced placedOn(Host host, Instant at) {
        Karma karma = host.conditions.karma();
        return new JobPlaced(CARGO, JOB, ALICE, host.id, host.owner, Pricing.quote(ASK, ROYALTY, karma),
                host.conditions.rttMicros(), karma, at);
    }

    /** An online Island in {@code country} at {@code rttMillis} with four slots, always open. */
    private static Host host(String id, String country, long rttMillis) {
        return new Host(new IslandId(id), new AccountId("host-" + id), new IslandConditions(Country.of(country), 4,
                AvailabilitySchedule.ALWAYS, false, true, rttMillis * 1_000, Karma.INITIAL));
    }

    private void register(Host host) {
        IslandConditions c = host.conditions;
        islands.seed(host.id.value(),
                new IslandRegistered(host.id, host.owner, c.country(), Set.of(CARGO), c.slots(), c.schedule(),
                        c.verified(), Karma.INITIAL, EARLIER),
                new IslandWentOnline(host.id, EARLIER),
                new IslandRttMeasured(host.id, c.rttMicros(), EARLIER));
    }

    /** An Island as the market lists it. */
    private record Host(IslandId id, AccountId owner, IslandConditions conditions) {

        Host offline() {
            return new Host(id, owner, conditions.withOnline(false));
        }
    }
}

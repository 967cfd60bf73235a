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
import io.archipelago.exchange.island.api.IslandWentOnline;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.karma.api.KarmaChanged;
import io.archipelago.exchange.karma.api.KarmaReason;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.AskRepriced;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.JobStarted;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.ReassignJob;
import io.archipelago.exchange.market.api.RepriceAsk;
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
 * {@link ReassignJob} through Axon's fixture, with the production account and island ports: a job that streamed
 * nothing leaves the Island that lost it for the next eligible one, never goes back there, and the loss is in that
 * Island's karma; a job that streamed cannot move.
 */
class ReassignJobTest {

    private static final CargoType CARGO = new CargoType("llm.chat.llama3-8b");
    private static final PricePerUnit ROYALTY = PricePerUnit.of(100);
    private static final AccountId ALICE = new AccountId("alice");
    private static final JobId JOB = new JobId("job-1");
    private static final long LIMIT = 12_000;
    private static final long MAX_UNITS = 100;
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(30);
    private static final Instant EARLIER = T0.minus(1, HOURS);

    private final AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);
    private final AggregateStore<Island> islands = AggregateStore.of(Island.class);
    private final Host near = host("island-near", 10);
    private final Host far = host("island-far", 30);

    @BeforeEach
    void wirePorts() {
        fixture.setReportIllegalStateChange(false);
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        fixture.registerInjectableResource(new RepositoryIslands(islands::repository,
                new RepositoryMarkets(fixture::getRepository)));
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of("DE"), T0.minus(1, DAYS)),
                new CreditsDeposited(ALICE, "deposit-1", MicroCredits.credits(100), T0.minus(1, DAYS)),
                new CreditsReserved(ALICE, JOB, PricePerUnit.of(LIMIT).times(MAX_UNITS), T0));
        register(near);
        register(far);
    }

    @Test
    void movesAJobThatStreamedNothingToTheNextIslandAndRecordsTheLossInKarma() {
        Host nearAfterLoss = near.karma(460);

        fixture.given(cargoRegistered(), askPlaced(near), askPlaced(far), submitted(Duration.ofMinutes(10)),
                        placedOn(near, T0))
                .when(new ReassignJob(CARGO, JOB, "the island missed its heartbeats", LATER))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(BidOutcome.placed(JOB, far.id))
                .expectEvents(new JobReassigned(CARGO, JOB, ALICE, near.id, "the island missed its heartbeats", LATER),
                        new IslandConditionsChanged(CARGO, near.id, nearAfterLoss.conditions, LATER),
                        placedOn(far, LATER));
        assertThat(islands.appended()).containsExactly(
                new KarmaChanged(near.id, Karma.INITIAL, Karma.of(460), KarmaReason.JOB_FAILED, JOB.value(), LATER));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void restsAJobNoOtherIslandCanTakeAndNeverPutsItBackWhereItWasLost() {
        Host nearAfterLoss = near.karma(460);

        fixture.given(cargoRegistered(), askPlaced(near), submitted(Duration.ofMinutes(10)), placedOn(near, T0))
                .when(new ReassignJob(CARGO, JOB, "malformed result", LATER))
                .expectResultMessagePayload(BidOutcome.resting(JOB))
                .expectEvents(new JobReassigned(CARGO, JOB, ALICE, near.id, "malformed result", LATER),
                        new IslandConditionsChanged(CARGO, near.id, nearAfterLoss.conditions, LATER));

        fixture.given(cargoRegistered(), askPlaced(near), submitted(Duration.ofMinutes(10)), placedOn(near, T0),
                        new JobReassigned(CARGO, JOB, ALICE, near.id, "malformed result", LATER))
                .when(new RepriceAsk(CARGO, near.id, PricePerUnit.of(1_000), LATER.plusSeconds(1)))
                .expectEvents(new AskRepriced(CARGO, near.id, PricePerUnit.of(5_000), PricePerUnit.of(1_000),
                        LATER.plusSeconds(1)));
    }

    @Test
    void expiresInsteadOfPlacingAgainABidWhoseTimeRanOut() {
        Instant afterExpiry = T0.plus(Duration.ofMinutes(2));

        fixture.given(cargoRegistered(), askPlaced(near), askPlaced(far), submitted(Duration.ofMinutes(1)),
                        placedOn(near, T0))
                .when(new ReassignJob(CARGO, JOB, "the island stalled", afterExpiry))
                .expectResultMessagePayload(BidOutcome.resting(JOB))
                .expectEvents(new JobReassigned(CARGO, JOB, ALICE, near.id, "the island stalled", afterExpiry),
                        new IslandConditionsChanged(CARGO, near.id, near.karma(460).conditions, afterExpiry),
                        new BidExpired(CARGO, JOB, ALICE, PricePerUnit.of(LIMIT).times(MAX_UNITS), afterExpiry));
        assertThat(accounts.appended()).containsExactly(new CreditsReleased(ALICE, JOB,
                PricePerUnit.of(LIMIT).times(MAX_UNITS), "bid expired", afterExpiry));
    }

    @Test
    void refusesToMoveAJobThatAlreadyStreamed() {
        fixture.given(cargoRegistered(), askPlaced(near), askPlaced(far), submitted(Duration.ofMinutes(10)),
                        placedOn(near, T0), new JobStarted(CARGO, JOB, near.id, 5_000, T0))
                .when(new ReassignJob(CARGO, JOB, "the island went silent", LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void refusesAReassignmentWithoutAReasonOrOfAJobThatIsNotRunning() {
        fixture.given(cargoRegistered(), askPlaced(near), submitted(Duration.ofMinutes(10)), placedOn(near, T0))
                .when(new ReassignJob(CARGO, JOB, " ", LATER))
                .expectException(IllegalArgumentException.class);
        fixture.given(cargoRegistered(), askPlaced(near))
                .when(new ReassignJob(CARGO, JOB, "lost", LATER))
                .expectException(IllegalStateException.class);
    }

    private static CargoRegistered cargoRegistered() {
        return new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, new AccountId("publisher"), ROYALTY,
                T0.minus(1, DAYS));
    }

    private static AskPlaced askPlaced(Host host) {
        return new AskPlaced(CARGO, host.id, host.owner, PricePerUnit.of(5_000), host.conditions, EARLIER);
    }

    private static BidSubmitted submitted(Duration ttl) {
        return new BidSubmitted(CARGO, JOB, ALICE, PricePerUnit.of(LIMIT), MAX_UNITS, JurisdictionPolicy.eu(),
                Karma.NONE, Long.MAX_VALUE, false, PricePerUnit.of(LIMIT).times(MAX_UNITS), T0.plus(ttl), T0);
    }

    private static JobPlaced placedOn(Host host, Instant at) {
        Karma karma = host.conditions.karma();
        return new JobPlaced(CARGO, JOB, ALICE, host.id, host.owner, Pricing.quote(PricePerUnit.of(5_000), ROYALTY,
                karma), host.conditions.rttMicros(), karma, at);
    }

    /** An online Island in Germany at {@code rttMillis}, karma as registered, always open. */
    private static Host host(String id, long rttMillis) {
        return new Host(new IslandId(id), new AccountId("host-" + id), new IslandConditions(Country.of("DE"), 4,
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

        Host karma(int points) {
            return new Host(id, owner, conditions.withKarma(Karma.of(points)));
        }
    }
}

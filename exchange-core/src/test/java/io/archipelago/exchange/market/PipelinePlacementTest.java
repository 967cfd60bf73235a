package io.archipelago.exchange.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.RepositoryIslands;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.CompletePipeline;
import io.archipelago.exchange.market.api.DeclarePipeline;
import io.archipelago.exchange.market.api.FailPipeline;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.market.api.IslandRtt;
import io.archipelago.exchange.market.api.PipelineCompleted;
import io.archipelago.exchange.market.api.PipelineDeclared;
import io.archipelago.exchange.market.api.PipelineFailed;
import io.archipelago.exchange.market.api.PipelineFunded;
import io.archipelago.exchange.market.api.PipelinePlaced;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.PipelineStage;
import io.archipelago.exchange.market.api.PipelineUnplaceable;
import io.archipelago.exchange.market.api.PlacePipeline;
import io.archipelago.exchange.market.api.PlacedStage;
import io.archipelago.exchange.market.api.StagePlacement;
import io.archipelago.exchange.market.api.StageSettlement;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pipeline Cargo's jobs placed on one Island per stage through the market, all stages or none, funded by one escrow
 * and settled stage by stage.
 */
class PipelinePlacementTest {

    private static final CargoType CARGO = new CargoType("embeddings.minilm.pipeline");
    private static final AccountId PUBLISHER = new AccountId("publisher");
    private static final PricePerUnit ROYALTY = PricePerUnit.of(10);
    private static final AccountId ALICE = new AccountId("alice");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final PipelineShape TWO_STAGES = new PipelineShape(List.of(new PipelineStage(0, 3, 60),
            new PipelineStage(3, 6, 30)));
    private static final IslandId A = new IslandId("island-a");
    private static final IslandId B = new IslandId("island-b");
    private static final IslandId C = new IslandId("island-c");
    private static final AccountId HOST = new AccountId("host");

    private static final JobId JOB = new JobId("job-1");
    private static final long MAX_UNITS = 5;
    private static final MicroCredits ESCROW = MicroCredits.of(1_000 * MAX_UNITS);

    private final AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);
    private final AggregateStore<Island> islands = AggregateStore.of(Island.class);

    @BeforeEach
    void wirePorts() {
        fixture.setReportIllegalStateChange(false);
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        fixture.registerInjectableResource(new RepositoryIslands(islands::repository,
                new RepositoryMarkets(fixture::getRepository)));
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of("DE"), T0.minusSeconds(3_600)),
                new CreditsDeposited(ALICE, "deposit-1", MicroCredits.of(20_000), T0.minusSeconds(3_600)));
        for (IslandId island : List.of(A, B, C)) {
            islands.seed(island.value(), new IslandRegistered(island, HOST, Country.of("DE"), Set.of(CARGO), 2,
                    AvailabilitySchedule.ALWAYS, false, Karma.of(500), T0.minusSeconds(3_600)));
        }
    }

    @Test
    void thePublisherDeclaresTheStagesItsCargoRunsAs() {
        fixture.given(registered())
                .when(new DeclarePipeline(CARGO, TWO_STAGES, PUBLISHER, T0))
                .expectEvents(new PipelineDeclared(CARGO, TWO_STAGES, PUBLISHER, T0));
    }

    @Test
    void noOtherAccountDeclaresAPipeline() {
        fixture.given(registered())
                .when(new DeclarePipeline(CARGO, TWO_STAGES, ALICE, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void placesEachStageOnItsOwnIslandAlongTheShortestChain() {
        fixture.given(registered(), declared(), ask(A, 1_000, 100), ask(B, 1_200, 100), ask(C, 900, 100))
                .when(place(Map.of(A, 64L, B, 64L, C, 32L),
                        List.of(new IslandRtt(A, B, 400), new IslandRtt(A, C, 300), new IslandRtt(B, C, 5_000))))
                .expectEvents(funded(), placed());
        assertThat(accounts.appended()).containsExactly(new CreditsReserved(ALICE, JOB, ESCROW, T0));
    }

    @Test
    void keepsEveryStageInTheConsumersRegionEvenWhereAnIslandOutsideItIsCloser() {
        // island-b in the US would make the shortest chain; alice lives in Germany, so her jobs stay in the EU
        fixture.given(registered(), declared(), ask(A, 1_000, 100), ask(B, 100, 100, "US"), ask(C, 900, 100))
                .when(place(Map.of(A, 64L, B, 64L, C, 32L), List.of(new IslandRtt(A, B, 10),
                        new IslandRtt(B, C, 10), new IslandRtt(A, C, 300))))
                .expectEvents(funded(), placed());
    }

    @Test
    void placesNoStageWhenTheConsumerCannotFundTheWorstCase() {
        PlacePipeline costly = new PlacePipeline(CARGO, JOB, ALICE, PricePerUnit.of(1_000), 21, Map.of(A, 64L,
                C, 32L), List.of(new IslandRtt(A, C, 300)), T0);
        fixture.given(registered(), declared(), ask(A, 1_000, 100), ask(C, 900, 100))
                .when(costly)
                .expectEvents(new PipelineUnplaceable(CARGO, JOB, ALICE, 2, "LEDGER_INSUFFICIENT_CREDITS: the worst"
                        + " case of 21000 micro-credits (limit x maximum units) exceeds the available credits", T0));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void settlesEveryStageAtItsOwnPriceAndPaysEachStagesHost() {
        accounts.seed(ALICE.value(), new CreditsReserved(ALICE, JOB, ESCROW, T0));
        UnitPrice price = price(100);
        long units = 3;
        fixture.given(registered(), declared(), ask(A, 1_000, 100), ask(C, 900, 100), funded(), placed())
                .when(new CompletePipeline(CARGO, JOB, units, T0.plusSeconds(1)))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        equalTo(new PipelineCompleted(CARGO, JOB, ALICE, PUBLISHER, units, List.of(
                                settlement(0, A, price, units), settlement(1, C, price, units)),
                                price.charge(units).plus(price.charge(units)),
                                ESCROW.minus(price.charge(units).plus(price.charge(units))), T0.plusSeconds(1))),
                        // each stage's Island's karma changed, and the market heard it
                        instanceOf(IslandConditionsChanged.class), instanceOf(IslandConditionsChanged.class),
                        andNoMore())));
        MicroCredits charged = accounts.appended(CreditsSettled.class).get(0).charged();
        long credited = accounts.appended(EarningsCredited.class).stream()
                .mapToLong(earned -> earned.amount().value()).sum();
        assertThat(credited).isEqualTo(charged.value()).isEqualTo(2 * price.charge(units).value());
        assertThat(accounts.appended(EarningsCredited.class)).filteredOn(e -> e.kind() == EarningsKind.HOST)
                .hasSize(2);
        assertThat(islands.appended()).isNotEmpty();
    }

    @Test
    void aFailedPipelineGivesTheWholeEscrowBackAndBlamesTheStageAtFault() {
        accounts.seed(ALICE.value(), new CreditsReserved(ALICE, JOB, ESCROW, T0));
        fixture.given(registered(), declared(), ask(A, 1_000, 100), ask(C, 900, 100), funded(), placed())
                .when(new FailPipeline(CARGO, JOB, C, "stage 1 stalled", T0.plusSeconds(1)))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        equalTo(new PipelineFailed(CARGO, JOB, ALICE, C, "stage 1 stalled", ESCROW,
                                T0.plusSeconds(1))),
                        instanceOf(IslandConditionsChanged.class), andNoMore())));
        assertThat(accounts.appended(CreditsReleased.class)).extracting(CreditsReleased::amount)
                .containsExactly(ESCROW);
        assertThat(islands.appended()).isNotEmpty();
    }

    @Test
    void aPipelineJobSettlesOnce() {
        fixture.given(registered(), declared(), ask(A, 1_000, 100), ask(C, 900, 100), funded(), placed(),
                        new PipelineFailed(CARGO, JOB, ALICE, null, "gone", ESCROW, T0))
                .when(new CompletePipeline(CARGO, JOB, 1, T0.plusSeconds(1)))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void aRunningStageHoldsASlotOfItsIslandsAskUntilItsJobEnds() {
        // one slot each: job-1 runs on A and C, so job-2's two stages find one free Island, B
        JobId second = new JobId("job-2");
        PlacePipeline next = new PlacePipeline(CARGO, second, ALICE, PricePerUnit.of(1_000), MAX_UNITS,
                Map.of(A, 64L, B, 64L, C, 64L), List.of(new IslandRtt(A, B, 400), new IslandRtt(A, C, 300),
                new IslandRtt(B, C, 500)), T0.plusSeconds(1));
        fixture.given(registered(), declared(), ask(A, 1_000, 100, "DE", 1), ask(B, 1_100, 100, "DE", 1),
                        ask(C, 900, 100, "DE", 1), funded(), placed())
                .when(next)
                .expectEvents(new PipelineUnplaceable(CARGO, second, ALICE, 1, "no chain of 2 distinct Islands with"
                        + " the memory and measured hops", T0.plusSeconds(1)));

        // once job-1 ended, its Islands take job-2
        fixture.given(registered(), declared(), ask(A, 1_000, 100, "DE", 1), ask(B, 1_100, 100, "DE", 1),
                        ask(C, 900, 100, "DE", 1), funded(), placed(),
                        new PipelineFailed(CARGO, JOB, ALICE, null, "gone", ESCROW, T0))
                .when(next)
                .expectEventsMatching(payloadsMatching(exactSequenceOf(instanceOf(PipelineFunded.class),
                        instanceOf(PipelinePlaced.class), andNoMore())));
    }

    private static PipelineFunded funded() {
        return new PipelineFunded(CARGO, JOB, ALICE, PricePerUnit.of(1_000), MAX_UNITS, ESCROW, T0);
    }

    private static PipelinePlaced placed() {
        return new PipelinePlaced(CARGO, JOB, ALICE, List.of(stage(new StagePlacement(0, 0, 3, A, 1_000), 100),
                stage(new StagePlacement(1, 3, 6, C, 300), 100)), 1_000 + 300 + 900,
                PricePerUnit.of(2 * price(100).total().microCredits()), T0);
    }

    private static StageSettlement settlement(int index, IslandId island, UnitPrice price, long units) {
        return new StageSettlement(index, island, HOST, price, price.charge(units), price.hostEarnings(units),
                price.royalties(units), price.fees(units));
    }

    @Test
    void placesNoStageWhenTheLastStageHasNoIslandWithAMeasuredHop() {
        fixture.given(registered(), declared(), ask(A, 1_000, 100), ask(B, 1_200, 100))
                .when(place(Map.of(A, 64L, B, 64L), List.of()))
                .expectEvents(new PipelineUnplaceable(CARGO, new JobId("job-1"), ALICE, 2,
                        "no chain of 2 distinct Islands with the memory and measured hops", T0));
    }

    @Test
    void placesNoStageWhenTheStagesTogetherCostMoreThanTheLimit() {
        fixture.given(registered(), declared(), ask(A, 1_000, 600), ask(B, 1_200, 600))
                .when(place(Map.of(A, 64L, B, 64L), List.of(new IslandRtt(A, B, 400))))
                .expectEvents(new PipelineUnplaceable(CARGO, new JobId("job-1"), ALICE, 2,
                        "the shortest chain costs " + 2 * price(600).total().microCredits()
                                + " per unit together, above the limit of 1000", T0));
    }

    @Test
    void refusesAPipelineJobOnACargoThatDeclaredNone() {
        fixture.given(registered(), ask(A, 1_000, 100), ask(B, 1_200, 100))
                .when(place(Map.of(A, 64L, B, 64L), List.of(new IslandRtt(A, B, 400))))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    private static PlacePipeline place(Map<IslandId, Long> memory, List<IslandRtt> rtts) {
        return new PlacePipeline(CARGO, JOB, ALICE, PricePerUnit.of(1_000), MAX_UNITS, memory, rtts, T0);
    }

    private static CargoRegistered registered() {
        return new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, T0.minusSeconds(60));
    }

    private static PipelineDeclared declared() {
        return new PipelineDeclared(CARGO, TWO_STAGES, PUBLISHER, T0.minusSeconds(50));
    }

    private static AskPlaced ask(IslandId island, long rttMicros, long price) {
        return ask(island, rttMicros, price, "DE");
    }

    private static AskPlaced ask(IslandId island, long rttMicros, long price, String country) {
        return ask(island, rttMicros, price, country, 2);
    }

    private static AskPlaced ask(IslandId island, long rttMicros, long price, String country, int slots) {
        return new AskPlaced(CARGO, island, HOST, PricePerUnit.of(price), new IslandConditions(Country.of(country),
                slots, AvailabilitySchedule.ALWAYS, false, true, rttMicros, Karma.of(500)), T0.minusSeconds(40));
    }

    private static UnitPrice price(long ask) {
        return Pricing.quote(PricePerUnit.of(ask), ROYALTY, Karma.of(500));
    }

    private static PlacedStage stage(StagePlacement placement, long ask) {
        return new PlacedStage(placement, HOST, price(ask));
    }
}

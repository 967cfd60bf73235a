package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.DeclarePipeline;
import io.archipelago.exchange.market.api.IslandRtt;
import io.archipelago.exchange.market.api.PipelineDeclared;
import io.archipelago.exchange.market.api.PipelinePlaced;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.PipelineStage;
import io.archipelago.exchange.market.api.PipelineUnplaceable;
import io.archipelago.exchange.market.api.PlacePipeline;
import io.archipelago.exchange.market.api.PlacedStage;
import io.archipelago.exchange.market.api.StagePlacement;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pipeline Cargo's jobs placed on one Island per stage through the market, all stages or none. */
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

    private final AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);

    @BeforeEach
    void allowMutableBook() {
        fixture.setReportIllegalStateChange(false);
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
                .expectEvents(new PipelinePlaced(CARGO, new JobId("job-1"), ALICE, List.of(
                        stage(new StagePlacement(0, 0, 3, A, 1_000), 100),
                        stage(new StagePlacement(1, 3, 6, C, 300), 100)), 1_000 + 300 + 900,
                        PricePerUnit.of(2 * price(100).total().microCredits()), T0));
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
        return new PlacePipeline(CARGO, new JobId("job-1"), ALICE, PricePerUnit.of(1_000), memory, rtts, T0);
    }

    private static CargoRegistered registered() {
        return new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, T0.minusSeconds(60));
    }

    private static PipelineDeclared declared() {
        return new PipelineDeclared(CARGO, TWO_STAGES, PUBLISHER, T0.minusSeconds(50));
    }

    private static AskPlaced ask(IslandId island, long rttMicros, long price) {
        return new AskPlaced(CARGO, island, HOST, PricePerUnit.of(price), new IslandConditions(Country.of("DE"), 2,
                AvailabilitySchedule.ALWAYS, false, true, rttMicros, Karma.of(500)), T0.minusSeconds(40));
    }

    private static UnitPrice price(long ask) {
        return Pricing.quote(PricePerUnit.of(ask), ROYALTY, Karma.of(500));
    }

    private static PlacedStage stage(StagePlacement placement, long ask) {
        return new PlacedStage(placement, HOST, price(ask));
    }
}

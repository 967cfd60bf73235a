package io.archipelago.exchange.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.hamcrest.Matchers.instanceOf;

import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.rollout.api.RecordRolloutFeedback;
import io.archipelago.exchange.rollout.api.RecordRolloutOutcome;
import io.archipelago.exchange.rollout.api.RolloutDecided;
import io.archipelago.exchange.rollout.api.RolloutFeedbackRecorded;
import io.archipelago.exchange.rollout.api.RolloutId;
import io.archipelago.exchange.rollout.api.RolloutMetric;
import io.archipelago.exchange.rollout.api.RolloutOutcomeRecorded;
import io.archipelago.exchange.rollout.api.RolloutStarted;
import io.archipelago.exchange.rollout.api.StartRollout;
import io.archipelago.exchange.rollout.api.VariantWeight;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

class RolloutTest {

    private static final RolloutId ROLLOUT = new RolloutId("llm.chat");
    private static final CargoType OLD = new CargoType("llm.chat.v1");
    private static final CargoType NEW = new CargoType("llm.chat.v2");
    private static final RolloutId VERSIONED = new RolloutId("llm.chat.x");
    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    private final AggregateTestFixture<Rollout> fixture = new AggregateTestFixture<>(Rollout.class);

    @Test
    void startsWithItsVariantsAndRefusesAMalformedSplit() {
        fixture.givenNoPriorActivity().when(start(RolloutMetric.SUCCESS, 50, 50))
                .expectEvents(started(RolloutMetric.SUCCESS));
        fixture.givenNoPriorActivity().when(start(RolloutMetric.SUCCESS, 0, 50))
                .expectException(IllegalArgumentException.class).expectNoEvents();
        fixture.givenNoPriorActivity().when(new StartRollout(ROLLOUT, List.of(new VariantWeight(OLD, 1)),
                RolloutMetric.SUCCESS, 0.05, 0.05, 0.2, 20, AT)).expectException(IllegalArgumentException.class);
        fixture.givenNoPriorActivity().when(new StartRollout(ROLLOUT, List.of(new VariantWeight(OLD, 1),
                        new VariantWeight(NEW, 1)), RolloutMetric.SUCCESS, 1.5, 0.05, 0.2, 20, AT))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void promotesTheVariantThatSucceedsMoreAndThenIgnoresLateReports() {
        List<Object> given = new ArrayList<>();
        given.add(started(RolloutMetric.SUCCESS));
        for (int i = 0; i < 30; i++) {
            given.add(outcome("old-" + i, OLD, i % 3 != 0));
            given.add(outcome("new-" + i, NEW, true));
        }
        fixture.given(given).when(new RecordRolloutOutcome(ROLLOUT, new JobId("new-30"), NEW, true, 1_000, 9_000,
                        AT))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(payloadsMatching(exactSequenceOf(instanceOf(RolloutOutcomeRecorded.class),
                        predicate(RolloutTest::promotedTheNewVariant))))
                .expectState(rollout -> assertThat(rollout).extracting("ended").isEqualTo(true));

        given.add(new RolloutDecided(ROLLOUT, "PROMOTE", NEW, 0.3, 0.01, 30, 0.03, "better", List.of(30L, 31L),
                List.of(new VariantWeight(OLD, 0), new VariantWeight(NEW, 1_000)), true, AT));
        fixture.given(given).when(new RecordRolloutOutcome(ROLLOUT, new JobId("late"), OLD, false, -1, 5, AT))
                .expectNoEvents();
    }

    @Test
    void aJobIsCountedOnceAndAnUnknownVariantIsRefused() {
        fixture.given(started(RolloutMetric.SUCCESS), outcome("job-1", OLD, true))
                .when(new RecordRolloutOutcome(ROLLOUT, new JobId("job-1"), OLD, false, -1, 5, AT))
                .expectNoEvents();
        fixture.given(started(RolloutMetric.SUCCESS))
                .when(new RecordRolloutOutcome(ROLLOUT, new JobId("job-1"), new CargoType("llm.other"), true, 1, 2,
                        AT))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void feedbackScoresOnlyJobsOfTheRolloutOnceEachFromZeroToOne() {
        fixture.given(started(RolloutMetric.QUALITY), outcome("job-1", NEW, true))
                .when(new RecordRolloutFeedback(ROLLOUT, new JobId("job-1"), 0.75, AT))
                .expectEvents(new RolloutFeedbackRecorded(ROLLOUT, new JobId("job-1"), NEW, 0.75, AT));
        fixture.given(started(RolloutMetric.QUALITY), outcome("job-1", NEW, true),
                        new RolloutFeedbackRecorded(ROLLOUT, new JobId("job-1"), NEW, 0.75, AT))
                .when(new RecordRolloutFeedback(ROLLOUT, new JobId("job-1"), 0.1, AT)).expectNoEvents();
        fixture.given(started(RolloutMetric.QUALITY))
                .when(new RecordRolloutFeedback(ROLLOUT, new JobId("stranger"), 1, AT))
                .expectException(IllegalArgumentException.class);
        fixture.given(started(RolloutMetric.QUALITY), outcome("job-1", NEW, true))
                .when(new RecordRolloutFeedback(ROLLOUT, new JobId("job-1"), 1.5, AT))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void splitsTheVersionsOfTheCargoTypeItsModelNameIs() {
        CargoType type = new CargoType(VERSIONED.value());
        fixture.givenNoPriorActivity().when(new StartRollout(VERSIONED, List.of(new VariantWeight(type, 50, "1.0.0"),
                        new VariantWeight(type, 50, "1.1.0")), RolloutMetric.SUCCESS, 0.05, 0.05, 0.2, 20, AT))
                .expectEvents(versionsStarted());
        fixture.givenNoPriorActivity().when(new StartRollout(VERSIONED, List.of(new VariantWeight(type, 50, "1.0.0"),
                        new VariantWeight(type, 50, "1.0.0")), RolloutMetric.SUCCESS, 0.05, 0.05, 0.2, 20, AT))
                .expectException(IllegalArgumentException.class);
        fixture.givenNoPriorActivity().when(new StartRollout(VERSIONED, List.of(new VariantWeight(type, 50, "1.0.0"),
                        new VariantWeight(OLD, 50, "1.1.0")), RolloutMetric.SUCCESS, 0.05, 0.05, 0.2, 20, AT))
                .expectException(IllegalArgumentException.class);
        fixture.givenNoPriorActivity().when(new StartRollout(VERSIONED, List.of(new VariantWeight(type, 50, "1.0.0"),
                        new VariantWeight(OLD, 50)), RolloutMetric.SUCCESS, 0.05, 0.05, 0.2, 20, AT))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void promotesTheVersionThatSucceedsMoreByName() {
        CargoType type = new CargoType(VERSIONED.value());
        List<Object> given = new ArrayList<>();
        given.add(versionsStarted());
        for (int i = 0; i < 30; i++) {
            given.add(new RolloutOutcomeRecorded(VERSIONED, new JobId("old-" + i), type, i % 3 != 0, 1_000, 9_000, AT,
                    "1.0.0"));
            given.add(new RolloutOutcomeRecorded(VERSIONED, new JobId("new-" + i), type, true, 1_000, 9_000, AT,
                    "1.1.0"));
        }
        fixture.given(given).when(new RecordRolloutOutcome(VERSIONED, new JobId("new-30"), type, "1.1.0", true,
                        1_000, 9_000, AT))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate(event -> event instanceof RolloutOutcomeRecorded recorded
                                && "1.1.0".equals(recorded.version())),
                        predicate(event -> event instanceof RolloutDecided decided
                                && decided.verdict().equals("PROMOTE") && "1.1.0".equals(decided.version())
                                && decided.variant().equals(type) && decided.ended()
                                && decided.weights().equals(List.of(new VariantWeight(type, 0, "1.0.0"),
                                        new VariantWeight(type, 1_000, "1.1.0")))))));
        fixture.given(versionsStarted())
                .when(new RecordRolloutOutcome(VERSIONED, new JobId("job-1"), type, "2.0.0", true, 1, 2, AT))
                .expectException(IllegalArgumentException.class);
        fixture.given(versionsStarted())
                .when(new RecordRolloutOutcome(VERSIONED, new JobId("job-1"), type, true, 1, 2, AT))
                .expectException(IllegalArgumentException.class);
    }

    private static RolloutStarted versionsStarted() {
        CargoType type = new CargoType(VERSIONED.value());
        return new RolloutStarted(VERSIONED, List.of(new VariantWeight(type, 50, "1.0.0"),
                new VariantWeight(type, 50, "1.1.0")), RolloutMetric.SUCCESS, 0.05, 0.05, 0.2, 20, AT);
    }

    private static boolean promotedTheNewVariant(Object payload) {
        return payload instanceof RolloutDecided decided && decided.verdict().equals("PROMOTE")
                && decided.variant().equals(NEW) && decided.pValue() <= 0.05 && decided.ended()
                && decided.weights().equals(List.of(new VariantWeight(OLD, 0), new VariantWeight(NEW, 1_000)))
                && decided.observations().equals(List.of(30L, 31L)) && decided.reason().contains("1.0000");
    }

    private static StartRollout start(RolloutMetric metric, int oldWeight, int newWeight) {
        return new StartRollout(ROLLOUT, List.of(new VariantWeight(OLD, oldWeight), new VariantWeight(NEW,
                newWeight)), metric, 0.05, 0.05, 0.2, 20, AT);
    }

    private static RolloutStarted started(RolloutMetric metric) {
        return new RolloutStarted(ROLLOUT, List.of(new VariantWeight(OLD, 50), new VariantWeight(NEW, 50)), metric,
                0.05, 0.05, 0.2, 20, AT);
    }

    private static RolloutOutcomeRecorded outcome(String job, CargoType cargo, boolean succeeded) {
        return new RolloutOutcomeRecorded(ROLLOUT, new JobId(job), cargo, succeeded, succeeded ? 1_000 : -1, 9_000,
                AT);
    }
}

package io.archipelago.exchange.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.HoldRefused;
import io.archipelago.exchange.account.api.HoldReleased;
import io.archipelago.exchange.batch.api.ItemTerms;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.workflow.api.CancelWorkflow;
import io.archipelago.exchange.workflow.api.CompleteStep;
import io.archipelago.exchange.workflow.api.FailMode;
import io.archipelago.exchange.workflow.api.FailStep;
import io.archipelago.exchange.workflow.api.InvalidWorkflow;
import io.archipelago.exchange.workflow.api.RecordStepBid;
import io.archipelago.exchange.workflow.api.StepAttempted;
import io.archipelago.exchange.workflow.api.StepBidSubmitted;
import io.archipelago.exchange.workflow.api.StepCancelled;
import io.archipelago.exchange.workflow.api.StepCompleted;
import io.archipelago.exchange.workflow.api.StepFailed;
import io.archipelago.exchange.workflow.api.StepRetried;
import io.archipelago.exchange.workflow.api.StepSpec;
import io.archipelago.exchange.workflow.api.SubmitWorkflow;
import io.archipelago.exchange.workflow.api.WorkflowEnded;
import io.archipelago.exchange.workflow.api.WorkflowId;
import io.archipelago.exchange.workflow.api.WorkflowStatus;
import io.archipelago.exchange.workflow.api.WorkflowSubmitted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Workflow aggregate through Axon's fixture, on a diamond: {@code a}, then {@code b} and {@code c} side by side
 * on different Islands, then {@code d} rendered from both; retries, both fail modes and cancel. And the DAG rules.
 */
class WorkflowTest {

    private static final WorkflowId WF = new WorkflowId("wf-1");
    private static final AccountId ALICE = new AccountId("alice");
    private static final CargoType CHAT = new CargoType("llm.chat.demo");
    private static final ItemTerms TERMS = new ItemTerms(PricePerUnit.of(5_000), 10, null, null, null, false);
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final IslandId FRANKFURT = new IslandId("frankfurt");
    private static final IslandId AMSTERDAM = new IslandId("amsterdam");
    private static final MicroCredits COST = MicroCredits.of(15_000);
    private static final List<StepSpec> DIAMOND = List.of(
            step("a", "{\"p\":\"{{input.topic}}\"}"),
            step("b", "{\"p\":\"b of {{a.output.text}}\"}", "a"),
            step("c", "{\"p\":\"c of {{ a.output.text }}\"}", "a"),
            step("d", "{\"p\":\"{{b.output.text}} + {{c.output.text}}\"}", "b", "c"));

    /** Every step at its limit x maximum units: 4 x 5,000 x 10. */
    private static final MicroCredits WORST_CASE = MicroCredits.of(200_000);

    private final AggregateTestFixture<Workflow> fixture = new AggregateTestFixture<>(Workflow.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);

    @BeforeEach
    void wireAccounts() {
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        // Alice holds the diamond's worst case already for the histories given as events
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of("DE"), T0),
                new CreditsDeposited(ALICE, "deposit-1", MicroCredits.of(1_000_000), T0),
                new CreditsHeld(ALICE, WF.hold(), WORST_CASE, T0));
    }

    @Test
    void submittingHoldsTheWorstCaseOnTheAccountInTheSameUnitOfWork() {
        AccountId bob = new AccountId("bob");
        accounts.seed(bob.value(), new AccountOpened(bob, Country.of("DE"), T0),
                new CreditsDeposited(bob, "deposit-1", MicroCredits.of(250_000), T0));
        WorkflowId second = new WorkflowId("wf-2");

        fixture.givenNoPriorActivity()
                .when(new SubmitWorkflow(second, bob, DIAMOND, Map.of("topic", "tides"), FailMode.FAIL_FAST, 3, T0))
                .expectSuccessfulHandlerExecution();

        assertThat(accounts.appended(CreditsHeld.class)).containsExactly(
                new CreditsHeld(bob, second.hold(), WORST_CASE, T0));
        assertThat(accounts.read(bob.value(), Account::available)).isEqualTo(MicroCredits.of(50_000));
        assertThat(accounts.read(bob.value(), Account::inEscrow)).isEqualTo(WORST_CASE);
    }

    @Test
    void aWorkflowTheAccountCannotHoldIsRefusedAndLeavesNoTrace() {
        AccountId carol = new AccountId("carol");
        accounts.seed(carol.value(), new AccountOpened(carol, Country.of("DE"), T0),
                new CreditsDeposited(carol, "deposit-1", MicroCredits.of(199_999), T0));

        fixture.givenNoPriorActivity()
                .when(new SubmitWorkflow(new WorkflowId("wf-3"), carol, DIAMOND, Map.of("topic", "tides"),
                        FailMode.FAIL_FAST, 3, T0))
                .expectException(HoldRefused.class)
                .expectExceptionMessage(containsString("200000 micro-credits, exceeds the "
                        + "199999 available"))
                .expectNoEvents();

        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void theEndReturnsWhatIsLeftOfTheHold() {
        fixture.given(bothBranchesPlaced(FailMode.FAIL_FAST))
                .when(new CancelWorkflow(WF, "the owner cancelled", T0))
                .expectSuccessfulHandlerExecution();

        assertThat(accounts.appended(HoldReleased.class)).containsExactly(new HoldReleased(ALICE, WF.hold(),
                WORST_CASE, "workflow wf-1 ended cancelled", T0));
        assertThat(accounts.read(ALICE.value(), Account::available))
                .isEqualTo(MicroCredits.of(1_000_000));
    }

    @Test
    void submittingAttemptsTheRootsOnlyWithTheirParametersRendered() {
        fixture.givenNoPriorActivity()
                .when(new SubmitWorkflow(WF, ALICE, DIAMOND, Map.of("topic", "tides"), FailMode.FAIL_FAST, 3, T0))
                .expectEvents(submitted(FailMode.FAIL_FAST), attempted("a", 0, 1, "{\"p\":\"tides\"}", List.of()))
                .expectState(workflow -> assertThat(workflow.queued()).isEmpty());
    }

    @Test
    void stepsWhoseDependenciesCompletedAreAttemptedSideBySideOnDifferentIslands() {
        fixture.given(ranA(FailMode.FAIL_FAST))
                .when(new CompleteStep(WF, job(0, 1), FRANKFURT, 3, COST, "sea \"waves\"", T0))
                .expectEvents(completed("a", 0, FRANKFURT, "sea \"waves\""),
                        attempted("b", 1, 1, "{\"p\":\"b of sea \\\"waves\\\"\"}", List.of()))
                .expectState(workflow -> assertThat(workflow.queued()).containsExactly("c"));
        fixture.given(afterA(FailMode.FAIL_FAST))
                .when(new RecordStepBid(WF, job(1, 1), AMSTERDAM, T0))
                .expectEvents(new StepBidSubmitted(WF, "b", 1, job(1, 1), AMSTERDAM, T0),
                        attempted("c", 2, 1, "{\"p\":\"c of sea\"}", List.of(AMSTERDAM)));
    }

    @Test
    void theJoinRendersBothParentsOutputsAndTheWorkflowEndsWithTheSumOfItsCosts() {
        fixture.given(bothBranchesPlaced(FailMode.FAIL_FAST))
                .andGiven(completed("b", 1, AMSTERDAM, "B"))
                .when(new CompleteStep(WF, job(2, 1), FRANKFURT, 3, COST, "C", T0))
                .expectEvents(completed("c", 2, FRANKFURT, "C"), attempted("d", 3, 1, "{\"p\":\"B + C\"}",
                        List.of()));
        fixture.given(bothBranchesPlaced(FailMode.FAIL_FAST))
                .andGiven(completed("b", 1, AMSTERDAM, "B"), completed("c", 2, FRANKFURT, "C"),
                        attempted("d", 3, 1, "{\"p\":\"B + C\"}", List.of()))
                .when(new CompleteStep(WF, job(3, 1), FRANKFURT, 3, COST, "D", T0))
                .expectEvents(completed("d", 3, FRANKFURT, "D"), new WorkflowEnded(WF, WorkflowStatus.COMPLETED, 4,
                        4, 0, 0, MicroCredits.of(60_000), T0))
                .expectState(workflow -> assertThat(workflow.isEnded()).isTrue());
    }

    @Test
    void aStepTheMarketFailedIsRetriedAwayFromTheIslandThatFailedIt() {
        fixture.given(ranA(FailMode.FAIL_FAST))
                .when(new FailStep(WF, job(0, 1), FRANKFURT, "out of memory", true, T0))
                .expectEvents(new StepRetried(WF, "a", 0, 1, job(0, 1), FRANKFURT, "out of memory",
                        List.of(FRANKFURT), MicroCredits.ZERO, T0),
                        attempted("a", 0, 2, "{\"p\":\"tides\"}", List.of(FRANKFURT)));
    }

    @Test
    void aNeededOutputThatWasLostIsRetriedButALastStepCompletesWithoutIt() {
        fixture.given(ranA(FailMode.FAIL_FAST))
                .when(new CompleteStep(WF, job(0, 1), FRANKFURT, 3, COST, null, T0))
                .expectEvents(new StepRetried(WF, "a", 0, 1, job(0, 1), FRANKFURT, Workflow.OUTPUT_LOST,
                        List.of(FRANKFURT), COST, T0), attempted("a", 0, 2, "{\"p\":\"tides\"}", List.of(FRANKFURT)));
        fixture.given(bothBranchesPlaced(FailMode.FAIL_FAST))
                .andGiven(completed("b", 1, AMSTERDAM, "B"), completed("c", 2, FRANKFURT, "C"),
                        attempted("d", 3, 1, "{\"p\":\"B + C\"}", List.of()))
                .when(new CompleteStep(WF, job(3, 1), FRANKFURT, 3, COST, null, T0))
                .expectEvents(completed("d", 3, FRANKFURT, null), new WorkflowEnded(WF, WorkflowStatus.COMPLETED, 4,
                        4, 0, 0, MicroCredits.of(60_000), T0));
    }

    @Test
    void failFastCancelsEveryOtherStepIncludingTheRunningOne() {
        fixture.given(bothBranchesPlaced(FailMode.FAIL_FAST))
                .when(new FailStep(WF, job(1, 1), null, "refused", false, T0))
                .expectEvents(new StepFailed(WF, "b", 1, 1, job(1, 1), null, "refused", MicroCredits.ZERO, T0),
                        new StepCancelled(WF, "c", 2, job(2, 1), CHAT, "the workflow fails fast: step 'b' failed",
                                T0),
                        new StepCancelled(WF, "d", 3, null, CHAT, "the workflow fails fast: step 'b' failed", T0),
                        new WorkflowEnded(WF, WorkflowStatus.FAILED, 4, 1, 1, 2, COST, T0));
    }

    @Test
    void bestEffortCancelsOnlyWhatDependsOnTheFailedStep() {
        fixture.given(bothBranchesPlaced(FailMode.BEST_EFFORT))
                .when(new FailStep(WF, job(1, 1), null, "refused", false, T0))
                .expectEvents(new StepFailed(WF, "b", 1, 1, job(1, 1), null, "refused", MicroCredits.ZERO, T0),
                        new StepCancelled(WF, "d", 3, null, CHAT, "it depends on step 'b' failed", T0));
        fixture.given(bothBranchesPlaced(FailMode.BEST_EFFORT))
                .andGiven(new StepFailed(WF, "b", 1, 1, job(1, 1), null, "refused", MicroCredits.ZERO, T0),
                        new StepCancelled(WF, "d", 3, null, CHAT, "it depends on step 'b' failed", T0))
                .when(new CompleteStep(WF, job(2, 1), FRANKFURT, 3, COST, "C", T0))
                .expectEvents(completed("c", 2, FRANKFURT, "C"), new WorkflowEnded(WF,
                        WorkflowStatus.COMPLETED_WITH_FAILURES, 4, 2, 1, 1, MicroCredits.of(30_000), T0));
    }

    @Test
    void cancelStopsEveryRunningStepAndLateReportsChangeNothing() {
        fixture.given(bothBranchesPlaced(FailMode.FAIL_FAST))
                .when(new CancelWorkflow(WF, "the owner cancelled", T0))
                .expectEvents(new StepCancelled(WF, "b", 1, job(1, 1), CHAT, "the owner cancelled", T0),
                        new StepCancelled(WF, "c", 2, job(2, 1), CHAT, "the owner cancelled", T0),
                        new StepCancelled(WF, "d", 3, null, CHAT, "the owner cancelled", T0),
                        new WorkflowEnded(WF, WorkflowStatus.CANCELLED, 4, 1, 0, 3, COST, T0));
        fixture.given(bothBranchesPlaced(FailMode.FAIL_FAST))
                .andGiven(new StepCancelled(WF, "b", 1, job(1, 1), CHAT, "x", T0),
                        new StepCancelled(WF, "c", 2, job(2, 1), CHAT, "x", T0),
                        new StepCancelled(WF, "d", 3, null, CHAT, "x", T0),
                        new WorkflowEnded(WF, WorkflowStatus.CANCELLED, 4, 1, 0, 3, COST, T0))
                .when(new CompleteStep(WF, job(1, 1), AMSTERDAM, 3, COST, "late", T0))
                .expectNoEvents();
        fixture.given(bothBranchesPlaced(FailMode.FAIL_FAST))
                .andGiven(new StepCancelled(WF, "b", 1, job(1, 1), CHAT, "x", T0),
                        new StepCancelled(WF, "c", 2, job(2, 1), CHAT, "x", T0),
                        new StepCancelled(WF, "d", 3, null, CHAT, "x", T0),
                        new WorkflowEnded(WF, WorkflowStatus.CANCELLED, 4, 1, 0, 3, COST, T0))
                .when(new CancelWorkflow(WF, "again", T0))
                .expectNoEvents();
    }

    @Test
    void refusesADagThatCannotRunSayingWhichStepAndWhy() {
        assertRefused(List.of(step("a", "{}", "z")), "unknown_step", "'a' depends on 'z'");
        assertRefused(List.of(step("a", "{}", "b"), step("b", "{}", "c"), step("c", "{}", "a")), "cycle",
                "a -> b -> c -> a");
        assertRefused(List.of(step("a", "{}", "a")), "cycle", "'a' depends on itself");
        assertRefused(List.of(step("a", "{}"), step("b", "{\"p\":\"{{a.output.text}}\"}")),
                "template_not_a_dependency", "'b' renders {{a.output.text}}");
        assertRefused(List.of(step("a", "{}"), step("a", "{}")), "duplicate_key", "'a'");
        assertRefused(List.of(step("a", "{\"p\":\"{{input.missing}}\"}")), "unknown_parameter", "missing");
        assertRefused(List.of(step("a", "{\"p\":\"{{a.output.json}}\"}")), "invalid_template", "{{a.output.json}}");
        assertRefused(List.of(step("A", "{}")), "invalid_key", "'A'");
        assertRefused(java.util.stream.IntStream.range(0, Dag.MAX_STEPS + 1).mapToObj(i -> step("s" + i, "{}"))
                .toList(), "too_many_steps", "got " + (Dag.MAX_STEPS + 1));
        fixture.givenNoPriorActivity()
                .when(new SubmitWorkflow(WF, ALICE, List.of(step("a", "{}", "z")), Map.of(), FailMode.FAIL_FAST, 3,
                        T0))
                .expectException(InvalidWorkflow.class)
                .expectNoEvents();
    }

    private static void assertRefused(List<StepSpec> steps, String code, String saying) {
        assertThatThrownBy(() -> Dag.check(steps, Set.of()))
                .isInstanceOfSatisfying(InvalidWorkflow.class, refused -> assertThat(refused.code()).isEqualTo(code))
                .hasMessageContaining(saying);
    }

    private static Object[] ranA(FailMode mode) {
        return new Object[] {submitted(mode), attempted("a", 0, 1, "{\"p\":\"tides\"}", List.of()),
            new StepBidSubmitted(WF, "a", 0, job(0, 1), FRANKFURT, T0)};
    }

    private static List<Object> afterA(FailMode mode) {
        return List.of(ranA(mode)[0], ranA(mode)[1], ranA(mode)[2], completed("a", 0, FRANKFURT, "sea"),
                attempted("b", 1, 1, "{\"p\":\"b of sea\"}", List.of()));
    }

    private static List<Object> bothBranchesPlaced(FailMode mode) {
        List<Object> events = new java.util.ArrayList<>(afterA(mode));
        events.add(new StepBidSubmitted(WF, "b", 1, job(1, 1), AMSTERDAM, T0));
        events.add(attempted("c", 2, 1, "{\"p\":\"c of sea\"}", List.of(AMSTERDAM)));
        events.add(new StepBidSubmitted(WF, "c", 2, job(2, 1), FRANKFURT, T0));
        return events;
    }

    private static WorkflowSubmitted submitted(FailMode mode) {
        return new WorkflowSubmitted(WF, ALICE, DIAMOND, Map.of("topic", "tides"), mode, 3, T0);
    }

    private static StepAttempted attempted(String key, int index, int attempt, String input, List<IslandId> avoid) {
        return new StepAttempted(WF, key, index, attempt, job(index, attempt), ALICE, CHAT, TERMS, input, avoid, T0);
    }

    private static StepCompleted completed(String key, int index, IslandId island, @Nullable String output) {
        return new StepCompleted(WF, key, index, 1, job(index, 1), island, 3, COST, output, T0);
    }

    private static StepSpec step(String key, String input, String... dependsOn) {
        return new StepSpec(key, CHAT, input, List.of(dependsOn), TERMS);
    }

    private static JobId job(int index, int attempt) {
        return WF.job(index, attempt);
    }
}

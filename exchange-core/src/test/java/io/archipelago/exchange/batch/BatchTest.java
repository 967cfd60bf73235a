package io.archipelago.exchange.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.HoldRefused;
import io.archipelago.exchange.account.api.HoldReleased;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.batch.api.BatchEnded;
import io.archipelago.exchange.batch.api.BatchId;
import io.archipelago.exchange.batch.api.BatchStatus;
import io.archipelago.exchange.batch.api.BatchSubmitted;
import io.archipelago.exchange.batch.api.CompleteItem;
import io.archipelago.exchange.batch.api.FailItem;
import io.archipelago.exchange.batch.api.ItemAttempted;
import io.archipelago.exchange.batch.api.ItemBidSubmitted;
import io.archipelago.exchange.batch.api.ItemCompleted;
import io.archipelago.exchange.batch.api.ItemFailed;
import io.archipelago.exchange.batch.api.ItemPlaced;
import io.archipelago.exchange.batch.api.ItemReassigned;
import io.archipelago.exchange.batch.api.ItemRetried;
import io.archipelago.exchange.batch.api.ItemTerms;
import io.archipelago.exchange.batch.api.RecordItemBid;
import io.archipelago.exchange.batch.api.RecordItemPlaced;
import io.archipelago.exchange.batch.api.RecordItemReassigned;
import io.archipelago.exchange.batch.api.SubmitBatch;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Batch aggregate through Axon's fixture: items are attempted one at a time in input order, spread over Islands,
 * retried away from the Islands that failed them while attempts are left, failed for good when refused, and the batch
 * ends once every item has.
 */
class BatchTest {

    private static final BatchId BATCH = new BatchId("batch-1");
    private static final AccountId ALICE = new AccountId("alice");
    private static final CargoType CHAT = new CargoType("llm.chat.demo");
    private static final ItemTerms TERMS = new ItemTerms(PricePerUnit.of(5_000), 10, null, null, null, false);
    private static final List<String> INPUTS = List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final IslandId FRANKFURT = new IslandId("frankfurt");
    private static final IslandId AMSTERDAM = new IslandId("amsterdam");

    /** Every item at its limit x maximum units: 3 x 5,000 x 10. */
    private static final MicroCredits WORST_CASE = MicroCredits.of(150_000);

    private final AggregateTestFixture<Batch> fixture = new AggregateTestFixture<>(Batch.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);

    @BeforeEach
    void wireAccounts() {
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        // Alice holds the batch's worst case already for the histories given as events
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of("DE"), T0),
                new CreditsDeposited(ALICE, "deposit-1", MicroCredits.of(1_000_000), T0),
                new CreditsHeld(ALICE, BATCH.hold(), WORST_CASE, T0));
    }

    @Test
    void submittingHoldsTheWholeWorstCaseOrRefusesTheBatch() {
        AccountId bob = new AccountId("bob");
        accounts.seed(bob.value(), new AccountOpened(bob, Country.of("DE"), T0),
                new CreditsDeposited(bob, "deposit-1", MicroCredits.of(150_000), T0));
        BatchId second = new BatchId("batch-2");
        fixture.givenNoPriorActivity()
                .when(new SubmitBatch(second, bob, CHAT, TERMS, INPUTS, 3, T0))
                .expectSuccessfulHandlerExecution();
        assertThat(accounts.appended(CreditsHeld.class)).containsExactly(
                new CreditsHeld(bob, second.hold(), WORST_CASE, T0));
        assertThat(accounts.read(bob.value(), Account::available)).isEqualTo(MicroCredits.ZERO);

        fixture.givenNoPriorActivity()
                .when(new SubmitBatch(new BatchId("batch-3"), bob, CHAT, TERMS, INPUTS, 3, T0))
                .expectException(HoldRefused.class)
                .expectNoEvents();
        assertThat(accounts.appended(CreditsHeld.class)).hasSize(1);
    }

    @Test
    void submittingABatchAttemptsItsFirstItemOnly() {
        fixture.givenNoPriorActivity()
                .when(new SubmitBatch(BATCH, ALICE, CHAT, TERMS, INPUTS, 3, T0))
                .expectEvents(submitted(), attempted(0, 1, List.of()))
                .expectState(batch -> assertThat(batch.queued()).containsExactly(1, 2));
    }

    @Test
    void refusesAnEmptyBatchOrOneWithoutAttempts() {
        fixture.givenNoPriorActivity()
                .when(new SubmitBatch(BATCH, ALICE, CHAT, TERMS, List.of(), 3, T0))
                .expectException(IllegalArgumentException.class);
        fixture.givenNoPriorActivity()
                .when(new SubmitBatch(BATCH, ALICE, CHAT, TERMS, INPUTS, 0, T0))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void theNextItemAvoidsTheIslandsOfTheRoundUntilOneRepeats() {
        fixture.given(submitted(), attempted(0, 1, List.of()), bid(0, FRANKFURT), attempted(1, 1,
                        List.of(FRANKFURT)), bid(1, AMSTERDAM), attempted(2, 1, List.of(AMSTERDAM, FRANKFURT)))
                .when(new RecordItemBid(BATCH, job(2, 1), FRANKFURT, T0))
                .expectEvents(bid(2, FRANKFURT))
                .expectState(batch -> assertThat(batch.queued()).isEmpty());
        fixture.given(submitted(), attempted(0, 1, List.of()), bid(0, FRANKFURT), attempted(1, 1,
                        List.of(FRANKFURT)))
                .when(new RecordItemBid(BATCH, job(1, 1), FRANKFURT, T0))
                .expectEvents(bid(1, FRANKFURT), attempted(2, 1, List.of(FRANKFURT)));
    }

    @Test
    void anItemTheMarketFailedIsRetriedAvoidingTheIslandsThatFailedOrLostIt() {
        fixture.given(submitted(), attempted(0, 1, List.of()), bid(0, FRANKFURT), attempted(1, 1,
                        List.of(FRANKFURT)), bid(1, null), attempted(2, 1, List.of(FRANKFURT)), bid(2, null),
                        new ItemReassigned(BATCH, 1, 1, job(1, 1), AMSTERDAM, T0))
                .when(new FailItem(BATCH, job(1, 1), FRANKFURT, "out of memory", true, T0))
                .expectEvents(new ItemRetried(BATCH, 1, 1, job(1, 1), FRANKFURT, "out of memory",
                                List.of(AMSTERDAM, FRANKFURT), T0),
                        attempted(1, 2, List.of(AMSTERDAM, FRANKFURT)));
    }

    @Test
    void anItemRefusedOrOutOfAttemptsFailsAndTheNextIsAttempted() {
        fixture.given(submitted(), attempted(0, 1, List.of()))
                .when(new FailItem(BATCH, job(0, 1), null, "the input is too large", false, T0))
                .expectEvents(new ItemFailed(BATCH, 0, 1, job(0, 1), null, "the input is too large", T0),
                        attempted(1, 1, List.of()));
        fixture.given(submitted(), attempted(0, 1, List.of()), bid(0, null), attempted(1, 1, List.of()), bid(1, null),
                        attempted(2, 1, List.of()), bid(2, null),
                        new ItemRetried(BATCH, 0, 1, job(0, 1), null, "expired", List.of(), T0),
                        attempted(0, 2, List.of()), bid(0, 2, null),
                        new ItemRetried(BATCH, 0, 2, job(0, 2), null, "expired", List.of(), T0),
                        attempted(0, 3, List.of()))
                .when(new FailItem(BATCH, job(0, 3), FRANKFURT, "expired", true, T0))
                .expectEvents(new ItemFailed(BATCH, 0, 3, job(0, 3), FRANKFURT, "expired", T0));
    }

    @Test
    void reportsAboutAnAttemptThatIsNotCurrentChangeNothing() {
        fixture.given(submitted(), attempted(0, 1, List.of()), bid(0, null),
                        new ItemRetried(BATCH, 0, 1, job(0, 1), null, "expired", List.of(), T0),
                        attempted(0, 2, List.of()))
                .when(new CompleteItem(BATCH, job(0, 1), FRANKFURT, 3, MicroCredits.of(15_000), "late", T0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(submitted(), attempted(0, 1, List.of()))
                .when(new RecordItemPlaced(BATCH, new JobId("batch-other-0-1"), FRANKFURT, T0))
                .expectNoEvents();
    }

    @Test
    void theBatchEndsOnceEveryItemCompletedOrFailed() {
        MicroCredits cost = MicroCredits.of(15_000);
        fixture.given(submitted(), attempted(0, 1, List.of()), bid(0, FRANKFURT),
                        attempted(1, 1, List.of(FRANKFURT)), bid(1, AMSTERDAM),
                        attempted(2, 1, List.of(AMSTERDAM, FRANKFURT)), bid(2, null),
                        new ItemPlaced(BATCH, 0, 1, job(0, 1), FRANKFURT, T0),
                        new ItemCompleted(BATCH, 0, 1, job(0, 1), FRANKFURT, 3, cost, "zero", T0),
                        new ItemFailed(BATCH, 2, 1, job(2, 1), null, "refused", T0))
                .when(new CompleteItem(BATCH, job(1, 1), AMSTERDAM, 3, cost, "one", T0))
                .expectEvents(new ItemCompleted(BATCH, 1, 1, job(1, 1), AMSTERDAM, 3, cost, "one", T0),
                        new BatchEnded(BATCH, BatchStatus.COMPLETED_WITH_FAILURES, 3, 2, 1, MicroCredits.of(30_000),
                                T0))
                .expectState(batch -> assertThat(batch.isEnded()).isTrue());
        assertThat(accounts.appended(HoldReleased.class)).as("the hold's rest goes back with the end")
                .containsExactly(new HoldReleased(ALICE, BATCH.hold(), WORST_CASE, "batch batch-1 ended", T0));
    }

    @Test
    void anIslandThatLosesAJobIsRecordedAndTheItemRunsOn() {
        fixture.given(submitted(), attempted(0, 1, List.of()), bid(0, FRANKFURT))
                .when(new RecordItemReassigned(BATCH, job(0, 1), FRANKFURT, T0))
                .expectEvents(new ItemReassigned(BATCH, 0, 1, job(0, 1), FRANKFURT, T0));
    }

    @Test
    void aJobIdNamesItsBatch() {
        assertThat(BatchId.ofJob(BATCH.job(99, 10))).contains(BATCH);
        assertThat(BatchId.ofJob(new JobId("chatcmpl-1-2"))).isEqualTo(Optional.empty());
    }

    private static BatchSubmitted submitted() {
        return new BatchSubmitted(BATCH, ALICE, CHAT, TERMS, INPUTS, 3, T0);
    }

    private static ItemAttempted attempted(int index, int attempt, List<IslandId> avoid) {
        return new ItemAttempted(BATCH, index, attempt, job(index, attempt), ALICE, CHAT, TERMS, INPUTS.get(index),
                avoid, T0);
    }

    private static ItemBidSubmitted bid(int index, @Nullable IslandId placedOn) {
        return bid(index, 1, placedOn);
    }

    private static ItemBidSubmitted bid(int index, int attempt, @Nullable IslandId placedOn) {
        return new ItemBidSubmitted(BATCH, index, job(index, attempt), placedOn, T0);
    }

    private static JobId job(int index, int attempt) {
        return BATCH.job(index, attempt);
    }
}

package io.archipelago.projections.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.ReadModelDatabase;
import io.archipelago.projections.ReadModelWrites;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class AccountBalanceProjectionTest {

    private static final AccountId ALICE = new AccountId("alice");
    private static final AccountId BOB = new AccountId("bob");
    private static final JobId JOB_1 = new JobId("job-1");
    private static final JobId JOB_2 = new JobId("job-2");
    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final AccountBalanceProjection projection = new AccountBalanceProjection(ReadModelDatabase.writes());
    private final AccountBalances balances = new AccountBalances(jdbc);

    @BeforeEach
    void clean() {
        ReadModelDatabase.clean();
    }

    /** The events of alice (a consumer) and bob (a host), each with its sequence number in its account. */
    private final List<BiConsumer<AccountBalanceProjection, Integer>> aliceEvents = List.of(
            (p, s) -> p.on(new AccountOpened(ALICE, Country.of("DE"), T0), s),
            (p, s) -> p.on(new CreditsDeposited(ALICE, "dep-1", MicroCredits.of(10_000_000), T0.plusSeconds(1)), s),
            (p, s) -> p.on(new CreditsReserved(ALICE, JOB_1, MicroCredits.of(1_000_000), T0.plusSeconds(2)), s),
            (p, s) -> p.on(new CreditsReserved(ALICE, JOB_2, MicroCredits.of(500_000), T0.plusSeconds(3)), s),
            (p, s) -> p.on(new CreditsSettled(ALICE, JOB_1, MicroCredits.of(600_000), MicroCredits.of(400_000),
                    T0.plusSeconds(4)), s),
            (p, s) -> p.on(new CreditsReleased(ALICE, JOB_2, MicroCredits.of(500_000), "bid expired",
                    T0.plusSeconds(5)), s));
    private final List<BiConsumer<AccountBalanceProjection, Integer>> bobEvents = List.of(
            (p, s) -> p.on(new AccountOpened(BOB, null, T0), s),
            (p, s) -> p.on(new EarningsCredited(BOB, JOB_1, EarningsKind.HOST, MicroCredits.of(500_000),
                    T0.plusSeconds(4)), s),
            (p, s) -> p.on(new PayoutRequested(BOB, "payout-1", MicroCredits.of(200_000), T0.plusSeconds(6)), s));

    @Test
    void balancesFollowDepositsEscrowSettlementEarningsAndPayouts() {
        deliver(aliceEvents, 0);
        deliver(bobEvents, 0);

        AccountBalanceView alice = balances.find("alice").orElseThrow();
        assertThat(alice.country()).isEqualTo("DE");
        assertThat(alice.availableMicroCredits()).isEqualTo(10_000_000 - 600_000);
        assertThat(alice.escrowMicroCredits()).isZero();
        assertThat(alice.updatedAt()).isEqualTo(T0.plusSeconds(5));
        AccountBalanceView bob = balances.find("bob").orElseThrow();
        assertThat(bob.country()).isNull();
        assertThat(bob.earningsMicroCredits()).isEqualTo(300_000);
        assertThat(bob.payoutsInFlightMicroCredits()).isEqualTo(200_000);
    }

    @Test
    void escrowIsHeldWhileJobsRun() {
        deliver(aliceEvents.subList(0, 4), 0);

        AccountBalanceView alice = balances.find("alice").orElseThrow();
        assertThat(alice.availableMicroCredits()).isEqualTo(8_500_000);
        assertThat(alice.escrowMicroCredits()).isEqualTo(1_500_000);
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        deliver(aliceEvents.subList(0, 4), 0);
        deliver(aliceEvents, 0);
        deliver(aliceEvents.subList(2, 6), 2);
        deliver(bobEvents, 0);
        deliver(bobEvents, 0);

        assertThat(balances.find("alice").orElseThrow().availableMicroCredits()).isEqualTo(9_400_000);
        assertThat(balances.find("alice").orElseThrow().escrowMicroCredits()).isZero();
        assertThat(balances.find("bob").orElseThrow().earningsMicroCredits()).isEqualTo(300_000);
    }

    @Test
    void paidPayoutsLeaveTheExchangeAndFailedOnesReturnToEarnings() {
        deliver(bobEvents, 0);
        projection.on(new PayoutRequested(BOB, "payout-2", MicroCredits.of(50_000), T0.plusSeconds(7)), 3);
        projection.on(new PayoutPaid(BOB, "payout-1", MicroCredits.of(200_000), T0.plusSeconds(8)), 4);
        projection.on(new PayoutFailed(BOB, "payout-2", MicroCredits.of(50_000), false, "account closed",
                T0.plusSeconds(9)), 5);

        AccountBalanceView inFlightFailed = balances.find("bob").orElseThrow();
        assertThat(inFlightFailed.payoutsInFlightMicroCredits()).isZero();
        assertThat(inFlightFailed.earningsMicroCredits()).isEqualTo(300_000);

        projection.on(new PayoutFailed(BOB, "payout-1", MicroCredits.of(200_000), true, "transfer reversed",
                T0.plusSeconds(10)), 6);

        AccountBalanceView reversed = balances.find("bob").orElseThrow();
        assertThat(reversed.payoutsInFlightMicroCredits()).isZero();
        assertThat(reversed.earningsMicroCredits()).isEqualTo(500_000);
    }

    /**
     * While replaying, a unit of work's writes wait for its commit and then give what one by one would have: the two
     * accounts' events interleaved, each account's in order, twice over (the second delivery changes nothing).
     */
    @Test
    void aReplayedBatchWritesAtItsCommitWhatEventsOneByOneWould() {
        UnitOfWork<EventMessage<?>> batch = DefaultUnitOfWork.startAndGet(replayed());
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < aliceEvents.size(); i++) {
                aliceEvents.get(i).accept(projection, i);
                if (i < bobEvents.size()) {
                    bobEvents.get(i).accept(projection, i);
                }
            }
        }
        assertThat(ReadModelWrites.pending()).isEqualTo(2 * (aliceEvents.size() + bobEvents.size()));
        assertThat(balances.find("alice")).isEmpty();

        batch.commit();

        AccountBalanceView alice = balances.find("alice").orElseThrow();
        assertThat(alice.availableMicroCredits()).isEqualTo(10_000_000 - 600_000);
        assertThat(alice.escrowMicroCredits()).isZero();
        assertThat(alice.updatedAt()).isEqualTo(T0.plusSeconds(5));
        AccountBalanceView bob = balances.find("bob").orElseThrow();
        assertThat(bob.earningsMicroCredits()).isEqualTo(300_000);
        assertThat(bob.payoutsInFlightMicroCredits()).isEqualTo(200_000);
    }

    /** A batch that ends past the replay: its live events wait behind the replayed ones, or these would be lost. */
    @Test
    void liveEventsAfterReplayedOnesInOneBatchWaitForThem() {
        DefaultUnitOfWork.startAndGet(replayed());
        deliver(aliceEvents.subList(0, 3), 0);
        CurrentUnitOfWork.get().transformMessage(replayedUntilNow -> GenericEventMessage.asEventMessage("live"));
        deliver(aliceEvents.subList(3, 6), 3);
        assertThat(balances.find("alice")).isEmpty();

        CurrentUnitOfWork.get().commit();

        AccountBalanceView alice = balances.find("alice").orElseThrow();
        assertThat(alice.availableMicroCredits()).isEqualTo(10_000_000 - 600_000);
        assertThat(alice.escrowMicroCredits()).isZero();
    }

    @Test
    void outsideAReplayEveryWriteRunsAtOnce() {
        DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("live"));
        try {
            aliceEvents.get(0).accept(projection, 0);
            assertThat(ReadModelWrites.pending()).isZero();
            assertThat(balances.find("alice")).isPresent();
        } finally {
            CurrentUnitOfWork.get().rollback();
        }
    }

    private static EventMessage<?> replayed() {
        return new GenericTrackedEventMessage<>(ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(100)),
                GenericEventMessage.asEventMessage("replayed"));
    }

    @Test
    void anUnknownAccountHasNoBalance() {
        assertThat(balances.find("nobody")).isEmpty();
    }

    private void deliver(List<BiConsumer<AccountBalanceProjection, Integer>> events, int firstSequence) {
        for (int i = 0; i < events.size(); i++) {
            events.get(i).accept(projection, firstSequence + i);
        }
    }
}

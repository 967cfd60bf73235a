package io.archipelago.exchange.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CacheHitRecorded;
import io.archipelago.exchange.account.api.CacheTier;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.account.api.HoldReleased;
import io.archipelago.exchange.account.api.OpenAccount;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.account.api.RecordCacheHit;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.account.api.Reservation;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Account command handler, and the escrow and earnings movements markets make through the Accounts port
 * (reserve, settle, release, credit), through Axon's fixture. Each test checks the events and the balances they
 * leave.
 */
class AccountTest {

    private static final AccountId ALICE = new AccountId("alice");
    private static final AccountId HOST = new AccountId("host-a");
    private static final Country GERMANY = Country.of("DE");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(30);
    private static final JobId JOB = new JobId("job-1");
    private static final MicroCredits HUNDRED = MicroCredits.credits(100);
    private static final String HOLD = "workflow:wf-1";

    private final AggregateTestFixture<Account> fixture = new AggregateTestFixture<>(Account.class);

    @Test
    void opensAnAccountForAConsumerInItsCountry() {
        fixture.givenNoPriorActivity()
                .when(new OpenAccount(ALICE, GERMANY, T0))
                .expectEvents(new AccountOpened(ALICE, GERMANY, T0))
                .expectState(account -> {
                    assertThat(account.home()).contains(GERMANY);
                    assertThat(account.available()).isEqualTo(MicroCredits.ZERO);
                    assertThat(account.earnings()).isEqualTo(MicroCredits.ZERO);
                });
    }

    @Test
    void opensAnAccountThatOnlyEarnsWithoutACountry() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> Account.openForEarnings(AccountId.PLATFORM, T0))
                .expectEvents(new AccountOpened(AccountId.PLATFORM, null, T0))
                .expectState(account -> assertThat(account.home()).isEmpty());
    }

    @Test
    void depositsCreditsAsAvailable() {
        fixture.given(opened())
                .when(new DepositCredits(ALICE, "deposit-1", HUNDRED, T0))
                .expectEvents(new CreditsDeposited(ALICE, "deposit-1", HUNDRED, T0))
                .expectState(account -> assertThat(account.available()).isEqualTo(HUNDRED));
    }

    @Test
    void countsADepositOnlyOncePerDepositId() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .when(new DepositCredits(ALICE, "deposit-1", MicroCredits.credits(5), LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectState(account -> assertThat(account.available()).isEqualTo(HUNDRED));
    }

    @Test
    void addsADepositWithANewId() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .when(new DepositCredits(ALICE, "deposit-2", MicroCredits.credits(5), LATER))
                .expectEvents(new CreditsDeposited(ALICE, "deposit-2", MicroCredits.credits(5), LATER))
                .expectState(account -> assertThat(account.available()).isEqualTo(MicroCredits.credits(105)));
    }

    @Test
    void refusesADepositAboveTheCapAndSaysWhatTheCapIs() {
        // what a signed webhook for 10^12 cents once credited
        MicroCredits forged = MicroCredits.of(1_000_000_000_000_000_000L);

        fixture.given(opened())
                .when(new DepositCredits(ALICE, "cs_huge", forged, T0))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage(containsString("at most " + MoneyCaps.MAX_DEPOSIT + " micro-credits"))
                .expectNoEvents();
    }

    @Test
    void takesDepositsUpToTheBalanceCapCountingEscrowAndNoFurther() {
        MicroCredits belowCap = MicroCredits.of(MoneyCaps.MAX_BALANCE - MoneyCaps.MAX_DEPOSIT);
        MicroCredits largest = MicroCredits.of(MoneyCaps.MAX_DEPOSIT);

        fixture.given(opened(), deposited("deposit-1", belowCap))
                .when(new DepositCredits(ALICE, "deposit-2", largest, T0))
                .expectEvents(new CreditsDeposited(ALICE, "deposit-2", largest, T0))
                .expectState(account -> assertThat(account.available().value()).isEqualTo(MoneyCaps.MAX_BALANCE));

        MicroCredits overCap = belowCap.plus(MicroCredits.of(1));
        fixture.given(opened(), deposited("deposit-1", overCap), new CreditsReserved(ALICE, JOB, overCap, T0))
                .when(new DepositCredits(ALICE, "deposit-2", largest, LATER))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage(containsString("above " + MoneyCaps.MAX_BALANCE + " micro-credits"))
                .expectNoEvents();
    }

    @Test
    void acceptsADepositIdOf128Characters() {
        String longest = "d".repeat(128);

        fixture.given(opened())
                .when(new DepositCredits(ALICE, longest, HUNDRED, T0))
                .expectEvents(new CreditsDeposited(ALICE, longest, HUNDRED, T0));
    }

    @Test
    void refusesAnEmptyDeposit() {
        fixture.given(opened())
                .when(new DepositCredits(ALICE, "deposit-1", MicroCredits.ZERO, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @ParameterizedTest(name = "deposit id \"{0}\"")
    @NullSource
    @ValueSource(strings = {"", "   "})
    void refusesADepositWithoutAUsableId(String depositId) {
        fixture.given(opened())
                .when(new DepositCredits(ALICE, depositId, HUNDRED, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void refusesADepositIdLongerThan128Characters() {
        fixture.given(opened())
                .when(new DepositCredits(ALICE, "d".repeat(129), HUNDRED, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void movesRequestedEarningsToPayoutsInFlight() {
        fixture.given(opened(HOST), earned(MicroCredits.credits(50)))
                .when(new RequestPayout(HOST, "payout-1", MicroCredits.credits(30), LATER))
                .expectEvents(new PayoutRequested(HOST, "payout-1", MicroCredits.credits(30), LATER))
                .expectState(account -> {
                    assertThat(account.earnings()).isEqualTo(MicroCredits.credits(20));
                    assertThat(account.payoutsInFlight()).isEqualTo(MicroCredits.credits(30));
                });
    }

    @Test
    void paysOutEveryLastEarnedCredit() {
        fixture.given(opened(HOST), earned(MicroCredits.credits(50)))
                .when(new RequestPayout(HOST, "payout-1", MicroCredits.credits(50), LATER))
                .expectEvents(new PayoutRequested(HOST, "payout-1", MicroCredits.credits(50), LATER))
                .expectState(account -> assertThat(account.earnings()).isEqualTo(MicroCredits.ZERO));
    }

    @Test
    void refusesAPayoutAboveTheEarnings() {
        fixture.given(opened(HOST), earned(MicroCredits.credits(50)))
                .when(new RequestPayout(HOST, "payout-1", MicroCredits.of(50_000_001), LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void refusesToPayOutDepositedCredits() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .when(new RequestPayout(ALICE, "payout-1", MicroCredits.credits(1), LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void requestsAPayoutOnlyOncePerPayoutId() {
        fixture.given(opened(HOST), earned(MicroCredits.credits(50)),
                        new PayoutRequested(HOST, "payout-1", MicroCredits.credits(30), T0))
                .when(new RequestPayout(HOST, "payout-1", MicroCredits.credits(30), LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectState(account -> assertThat(account.payoutsInFlight()).isEqualTo(MicroCredits.credits(30)));
    }

    @Test
    void refusesAnEmptyPayout() {
        fixture.given(opened(HOST), earned(MicroCredits.credits(50)))
                .when(new RequestPayout(HOST, "payout-1", MicroCredits.ZERO, LATER))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @ParameterizedTest(name = "payout id \"{0}\"")
    @NullSource
    @ValueSource(strings = {"", " "})
    void refusesAPayoutWithoutAUsableId(String payoutId) {
        fixture.given(opened(HOST), earned(MicroCredits.credits(50)))
                .when(new RequestPayout(HOST, payoutId, MicroCredits.credits(1), LATER))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void reservesAvailableCreditsInEscrowForAJob() {
        AtomicReference<Reservation> outcome = new AtomicReference<>();

        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .whenInvoking(ALICE.value(), account -> outcome.set(account.reserve(JOB, MicroCredits.credits(40), T0)))
                .expectEvents(new CreditsReserved(ALICE, JOB, MicroCredits.credits(40), T0))
                .expectState(account -> {
                    assertThat(account.available()).isEqualTo(MicroCredits.credits(60));
                    assertThat(account.inEscrow()).isEqualTo(MicroCredits.credits(40));
                });
        assertThat(outcome).hasValue(Reservation.RESERVED);
    }

    @Test
    void reservesEveryLastAvailableCredit() {
        AtomicReference<Reservation> outcome = new AtomicReference<>();

        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .whenInvoking(ALICE.value(), account -> outcome.set(account.reserve(JOB, HUNDRED, T0)))
                .expectEvents(new CreditsReserved(ALICE, JOB, HUNDRED, T0));
        assertThat(outcome).hasValue(Reservation.RESERVED);
    }

    @Test
    void reservesNothingWhenTheAvailableCreditsDoNotCover() {
        AtomicReference<Reservation> outcome = new AtomicReference<>();

        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .whenInvoking(ALICE.value(), account -> outcome.set(account.reserve(JOB,
                        HUNDRED.plus(MicroCredits.of(1)), T0)))
                .expectNoEvents()
                .expectState(account -> assertThat(account.available()).isEqualTo(HUNDRED));
        assertThat(outcome).hasValue(Reservation.INSUFFICIENT_CREDITS);
    }

    @Test
    void reservesNothingOnAnAccountThatOnlyEarns() {
        AtomicReference<Reservation> outcome = new AtomicReference<>();

        fixture.given(new AccountOpened(AccountId.PLATFORM, null, T0))
                .whenInvoking(AccountId.PLATFORM.value(),
                        account -> outcome.set(account.reserve(JOB, MicroCredits.of(1), T0)))
                .expectNoEvents();
        assertThat(outcome).hasValue(Reservation.UNKNOWN_ACCOUNT);
    }

    @Test
    void refusesASecondReservationForAJobItAlreadyHoldsEscrowFor() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED), reserved(MicroCredits.credits(40)))
                .whenInvoking(ALICE.value(), account -> account.reserve(JOB, MicroCredits.credits(10), LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void holdsCreditsForAMultiStepWorkOnceAndRefusesWhatItCannotCover() {
        AtomicReference<Reservation> outcome = new AtomicReference<>();

        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .whenInvoking(ALICE.value(), account -> outcome.set(account.hold(HOLD, MicroCredits.credits(60), T0)))
                .expectEvents(new CreditsHeld(ALICE, HOLD, MicroCredits.credits(60), T0))
                .expectState(account -> {
                    assertThat(account.available()).isEqualTo(MicroCredits.credits(40));
                    assertThat(account.inEscrow()).isEqualTo(MicroCredits.credits(60));
                    assertThat(account.held(HOLD)).contains(MicroCredits.credits(60));
                });
        assertThat(outcome).hasValue(Reservation.RESERVED);
        fixture.given(opened(), deposited("deposit-1", HUNDRED), held(MicroCredits.credits(60)))
                .whenInvoking(ALICE.value(), account -> outcome.set(account.hold(HOLD, MicroCredits.credits(60), T0)))
                .expectNoEvents();
        assertThat(outcome).as("holding the same hold again").hasValue(Reservation.RESERVED);
        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .whenInvoking(ALICE.value(), account -> outcome.set(account.hold(HOLD, HUNDRED.plus(MicroCredits.of(1)),
                        T0)))
                .expectNoEvents();
        assertThat(outcome).hasValue(Reservation.INSUFFICIENT_CREDITS);
    }

    @Test
    void aJobOfAHeldWorkDrawsOnItsHoldFirstAndTheRestFromAvailable() {
        JobId second = new JobId("job-2");
        fixture.given(opened(), deposited("deposit-1", HUNDRED), held(MicroCredits.credits(60)))
                .whenInvoking(ALICE.value(), account -> account.reserve(JOB, MicroCredits.credits(40), T0, HOLD))
                .expectEvents(new CreditsReserved(ALICE, JOB, MicroCredits.credits(40), T0, HOLD,
                        MicroCredits.credits(40)))
                .expectState(account -> {
                    assertThat(account.held(HOLD)).contains(MicroCredits.credits(20));
                    assertThat(account.available()).isEqualTo(MicroCredits.credits(40));
                });
        fixture.given(opened(), deposited("deposit-1", HUNDRED), held(MicroCredits.credits(60)),
                        new CreditsReserved(ALICE, JOB, MicroCredits.credits(40), T0, HOLD, MicroCredits.credits(40)))
                .whenInvoking(ALICE.value(), account -> account.reserve(second, MicroCredits.credits(30), T0, HOLD))
                .expectEvents(new CreditsReserved(ALICE, second, MicroCredits.credits(30), T0, HOLD,
                        MicroCredits.credits(20)))
                .expectState(account -> {
                    assertThat(account.held(HOLD)).contains(MicroCredits.ZERO);
                    assertThat(account.available()).isEqualTo(MicroCredits.credits(30));
                    assertThat(account.inEscrow()).isEqualTo(MicroCredits.credits(70));
                });
    }

    @Test
    void whatAHeldJobDoesNotSpendGoesBackToItsHoldWhileItIsOpenAndToAvailableAfter() {
        Object[] history = {opened(), deposited("deposit-1", HUNDRED), held(MicroCredits.credits(60)),
            new CreditsReserved(ALICE, JOB, MicroCredits.credits(40), T0, HOLD, MicroCredits.credits(40))};
        fixture.given(history)
                .whenInvoking(ALICE.value(), account -> account.settle(JOB, MicroCredits.credits(15), LATER))
                .expectEvents(new CreditsSettled(ALICE, JOB, MicroCredits.credits(15), MicroCredits.credits(25),
                        LATER, HOLD))
                .expectState(account -> {
                    assertThat(account.held(HOLD)).contains(MicroCredits.credits(45));
                    assertThat(account.available()).isEqualTo(MicroCredits.credits(40));
                });
        fixture.given(history)
                .whenInvoking(ALICE.value(), account -> account.release(JOB, "failed", LATER))
                .expectEvents(new CreditsReleased(ALICE, JOB, MicroCredits.credits(40), "failed", LATER, HOLD))
                .expectState(account -> assertThat(account.held(HOLD)).contains(MicroCredits.credits(60)));
        fixture.given(history)
                .andGiven(new HoldReleased(ALICE, HOLD, MicroCredits.credits(20), "ended", LATER))
                .whenInvoking(ALICE.value(), account -> account.settle(JOB, MicroCredits.credits(15), LATER))
                .expectEvents(new CreditsSettled(ALICE, JOB, MicroCredits.credits(15), MicroCredits.credits(25),
                        LATER))
                .expectState(account -> {
                    assertThat(account.held(HOLD)).isEmpty();
                    assertThat(account.available()).isEqualTo(MicroCredits.credits(85));
                    assertThat(account.inEscrow()).isEqualTo(MicroCredits.ZERO);
                });
    }

    @Test
    void releasingAHoldReturnsWhatIsLeftOnce() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED), held(MicroCredits.credits(60)))
                .whenInvoking(ALICE.value(), account -> account.releaseHold(HOLD, "workflow ended", LATER))
                .expectEvents(new HoldReleased(ALICE, HOLD, MicroCredits.credits(60), "workflow ended", LATER))
                .expectState(account -> {
                    assertThat(account.available()).isEqualTo(HUNDRED);
                    assertThat(account.inEscrow()).isEqualTo(MicroCredits.ZERO);
                });
        fixture.given(opened(), deposited("deposit-1", HUNDRED), held(MicroCredits.credits(60)),
                        new HoldReleased(ALICE, HOLD, MicroCredits.credits(60), "workflow ended", LATER))
                .whenInvoking(ALICE.value(), account -> account.releaseHold(HOLD, "again", LATER))
                .expectNoEvents();
    }

    @Test
    void settlesEscrowAndReleasesWhatWasNotCharged() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED), reserved(MicroCredits.credits(40)))
                .whenInvoking(ALICE.value(), account -> account.settle(JOB, MicroCredits.credits(15), LATER))
                .expectEvents(new CreditsSettled(ALICE, JOB, MicroCredits.credits(15), MicroCredits.credits(25),
                        LATER))
                .expectState(account -> {
                    assertThat(account.available()).isEqualTo(MicroCredits.credits(85));
                    assertThat(account.inEscrow()).isEqualTo(MicroCredits.ZERO);
                });
    }

    @Test
    void settlesAFullyChargedEscrowReleasingNothing() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED), reserved(MicroCredits.credits(40)))
                .whenInvoking(ALICE.value(), account -> account.settle(JOB, MicroCredits.credits(40), LATER))
                .expectEvents(new CreditsSettled(ALICE, JOB, MicroCredits.credits(40), MicroCredits.ZERO, LATER));
    }

    @Test
    void refusesToChargeMoreThanTheEscrowHolds() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED), reserved(MicroCredits.credits(40)))
                .whenInvoking(ALICE.value(), account -> account.settle(JOB, MicroCredits.credits(41), LATER))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void refusesToSettleAJobItHoldsNoEscrowFor() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .whenInvoking(ALICE.value(), account -> account.settle(JOB, MicroCredits.credits(1), LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void releasesTheWholeEscrowOfAJob() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED), reserved(MicroCredits.credits(40)))
                .whenInvoking(ALICE.value(), account -> account.release(JOB, "bid expired", LATER))
                .expectEvents(new CreditsReleased(ALICE, JOB, MicroCredits.credits(40), "bid expired", LATER))
                .expectState(account -> {
                    assertThat(account.available()).isEqualTo(HUNDRED);
                    assertThat(account.inEscrow()).isEqualTo(MicroCredits.ZERO);
                });
    }

    @Test
    void refusesToReleaseASettledJobAgain() {
        fixture.given(opened(), deposited("deposit-1", HUNDRED), reserved(MicroCredits.credits(40)),
                        new CreditsSettled(ALICE, JOB, MicroCredits.credits(40), MicroCredits.ZERO, T0))
                .whenInvoking(ALICE.value(), account -> account.release(JOB, "job failed: lost", LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void creditsEarningsFromAJob() {
        fixture.given(opened(HOST))
                .whenInvoking(HOST.value(),
                        account -> account.credit(JOB, EarningsKind.HOST, MicroCredits.of(400_000), LATER))
                .expectEvents(new EarningsCredited(HOST, JOB, EarningsKind.HOST, MicroCredits.of(400_000), LATER))
                .expectState(account -> {
                    assertThat(account.earnings()).isEqualTo(MicroCredits.of(400_000));
                    assertThat(account.available()).isEqualTo(MicroCredits.ZERO);
                });
    }

    @Test
    void recordsACacheHitWithoutMovingMoney() {
        CargoType chat = new CargoType("llm.chat.demo");
        MicroCredits saved = MicroCredits.of(1_234);
        fixture.given(opened(), deposited("deposit-1", HUNDRED))
                .when(new RecordCacheHit(ALICE, "chatcmpl-2", JOB, chat, CacheTier.EXACT, saved, LATER))
                .expectEvents(new CacheHitRecorded(ALICE, "chatcmpl-2", JOB, chat, CacheTier.EXACT, saved, LATER))
                .expectState(account -> {
                    assertThat(account.available()).isEqualTo(HUNDRED);
                    assertThat(account.inEscrow()).isEqualTo(MicroCredits.ZERO);
                });
    }

    @Test
    void refusesACacheHitForAnAccountThatOnlyEarns() {
        fixture.given(new AccountOpened(HOST, null, T0))
                .when(new RecordCacheHit(HOST, "chatcmpl-2", JOB, new CargoType("llm.chat.demo"), CacheTier.EXACT,
                        MicroCredits.ZERO, LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    private static CreditsHeld held(MicroCredits amount) {
        return new CreditsHeld(ALICE, HOLD, amount, T0.minusSeconds(60));
    }

    private static AccountOpened opened() {
        return opened(ALICE);
    }

    private static AccountOpened opened(AccountId accountId) {
        return new AccountOpened(accountId, GERMANY, T0.minusSeconds(3_600));
    }

    private static CreditsDeposited deposited(String depositId, MicroCredits amount) {
        return new CreditsDeposited(ALICE, depositId, amount, T0.minusSeconds(1_800));
    }

    private static EarningsCredited earned(MicroCredits amount) {
        return new EarningsCredited(HOST, new JobId("job-0"), EarningsKind.HOST, amount, T0.minusSeconds(1_800));
    }

    private static CreditsReserved reserved(MicroCredits amount) {
        return new CreditsReserved(ALICE, JOB, amount, T0);
    }
}

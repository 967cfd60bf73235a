package io.archipelago.exchange.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Paid payouts leave the exchange, failed ones come back to earnings, and the books balance after every event. */
class LedgerPayoutsTest {

    private static final AccountId CONSUMER = new AccountId("consumer-1");
    private static final AccountId HOST = new AccountId("host-1");
    private static final JobId JOB = new JobId("job-1");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static List<Object> earned(MicroCredits amount) {
        return List.of(new CreditsDeposited(CONSUMER, "d-1", amount, AT),
                new CreditsReserved(CONSUMER, JOB, amount, AT),
                new CreditsSettled(CONSUMER, JOB, amount, MicroCredits.ZERO, AT),
                new EarningsCredited(HOST, JOB, EarningsKind.HOST, amount, AT));
    }

    private static Ledger replay(List<Object> events) {
        Ledger ledger = new Ledger();
        for (Object event : events) {
            ledger.record(event);
            assertThat(ledger.isConserved()).as("sum of balances = deposits - payouts after %s", event).isTrue();
        }
        return ledger;
    }

    private static List<Object> concat(List<Object> first, Object... more) {
        return Stream.concat(first.stream(), Stream.of(more)).toList();
    }

    @Test
    void aPaidPayoutLeavesTheExchangeAndCountsAsPaidOut() {
        Ledger ledger = replay(concat(earned(MicroCredits.credits(500)),
                new PayoutRequested(HOST, "p-1", MicroCredits.credits(300), AT),
                new PayoutPaid(HOST, "p-1", MicroCredits.credits(300), AT)));

        assertThat(ledger.payouts()).isEqualTo(BigInteger.valueOf(MicroCredits.credits(300).value()));
        assertThat(ledger.total()).isEqualTo(BigInteger.valueOf(MicroCredits.credits(200).value()));
        assertThat(ledger.balance(HOST, Bucket.EARNINGS)).isEqualTo(MicroCredits.credits(200));
        assertThat(ledger.balance(HOST, Bucket.PAYOUTS_IN_FLIGHT)).isEqualTo(MicroCredits.ZERO);
        assertThat(ledger.snapshot()).doesNotContainKey("<world>/AVAILABLE");
    }

    @Test
    void aPayoutThatFailedInFlightReturnsToEarningsWithoutCountingAsPaidOut() {
        Ledger ledger = replay(concat(earned(MicroCredits.credits(500)),
                new PayoutRequested(HOST, "p-1", MicroCredits.credits(300), AT),
                new PayoutFailed(HOST, "p-1", MicroCredits.credits(300), false, "declined", AT)));

        assertThat(ledger.payouts()).isZero();
        assertThat(ledger.balance(HOST, Bucket.EARNINGS)).isEqualTo(MicroCredits.credits(500));
        assertThat(ledger.balance(HOST, Bucket.PAYOUTS_IN_FLIGHT)).isEqualTo(MicroCredits.ZERO);
    }

    @Test
    void aReversedPayoutComesBackFromTheWorldAndIsNoLongerPaidOut() {
        Ledger ledger = replay(concat(earned(MicroCredits.credits(500)),
                new PayoutRequested(HOST, "p-1", MicroCredits.credits(300), AT),
                new PayoutPaid(HOST, "p-1", MicroCredits.credits(300), AT),
                new PayoutFailed(HOST, "p-1", MicroCredits.credits(300), true, "transfer reversed", AT)));

        assertThat(ledger.payouts()).isZero();
        assertThat(ledger.deposits()).isEqualTo(BigInteger.valueOf(MicroCredits.credits(500).value()));
        assertThat(ledger.balance(HOST, Bucket.EARNINGS)).isEqualTo(MicroCredits.credits(500));
    }

    @Test
    void refusesToPayMoreThanIsInFlight() {
        Ledger ledger = replay(concat(earned(MicroCredits.credits(500)),
                new PayoutRequested(HOST, "p-1", MicroCredits.credits(300), AT)));

        assertThatThrownBy(() -> ledger.record(new PayoutPaid(HOST, "p-1", MicroCredits.credits(301), AT)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("below zero");
    }
}

package io.archipelago.exchange.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.account.api.RecordPayoutFailed;
import io.archipelago.exchange.account.api.RecordPayoutPaid;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A requested payout is paid out of the exchange or fails back into earnings, exactly once either way. */
class PayoutLifecycleTest {

    private static final AccountId HOST = new AccountId("host-1");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final MicroCredits EARNED = MicroCredits.credits(500);
    private static final MicroCredits PAYOUT = MicroCredits.credits(300);

    private AggregateTestFixture<Account> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Account.class);
    }

    private static List<Object> requested() {
        return List.of(new AccountOpened(HOST, Country.of("DE"), T0),
                new EarningsCredited(HOST, new JobId("job-1"), EarningsKind.HOST, EARNED, T0),
                new PayoutRequested(HOST, "p-1", PAYOUT, T0));
    }

    @Test
    void paysARequestedPayoutOutOfTheExchange() {
        fixture.given(requested())
                .when(new RecordPayoutPaid(HOST, "p-1", T1))
                .expectEvents(new PayoutPaid(HOST, "p-1", PAYOUT, T1))
                .expectState(account -> {
                    assertThat(account.payoutsInFlight()).isEqualTo(MicroCredits.ZERO);
                    assertThat(account.earnings()).isEqualTo(EARNED.minus(PAYOUT));
                });
    }

    @Test
    void paysAPayoutOnlyOnce() {
        fixture.given(plus(requested(), new PayoutPaid(HOST, "p-1", PAYOUT, T1)))
                .when(new RecordPayoutPaid(HOST, "p-1", T1.plusSeconds(1)))
                .expectNoEvents();
    }

    @Test
    void returnsAFailedPayoutInFlightToEarnings() {
        fixture.given(requested())
                .when(new RecordPayoutFailed(HOST, "p-1", "no such destination", T1))
                .expectEvents(new PayoutFailed(HOST, "p-1", PAYOUT, false, "no such destination", T1))
                .expectState(account -> {
                    assertThat(account.payoutsInFlight()).isEqualTo(MicroCredits.ZERO);
                    assertThat(account.earnings()).isEqualTo(EARNED);
                });
    }

    @Test
    void returnsAReversedPaidPayoutToEarningsFromOutside() {
        fixture.given(plus(requested(), new PayoutPaid(HOST, "p-1", PAYOUT, T1)))
                .when(new RecordPayoutFailed(HOST, "p-1", "transfer reversed", T1.plusSeconds(1)))
                .expectEvents(new PayoutFailed(HOST, "p-1", PAYOUT, true, "transfer reversed", T1.plusSeconds(1)))
                .expectState(account -> {
                    assertThat(account.payoutsInFlight()).isEqualTo(MicroCredits.ZERO);
                    assertThat(account.earnings()).isEqualTo(EARNED);
                });
    }

    @Test
    void failsAPayoutOnlyOnce() {
        fixture.given(plus(requested(), new PayoutFailed(HOST, "p-1", PAYOUT, false, "declined", T1)))
                .when(new RecordPayoutFailed(HOST, "p-1", "declined again", T1.plusSeconds(1)))
                .expectNoEvents();
    }

    @Test
    void ignoresAPaymentReportedAfterTheFailureThatUndidIt() {
        fixture.given(plus(requested(), new PayoutFailed(HOST, "p-1", PAYOUT, false, "transfer reversed", T1)))
                .when(new RecordPayoutPaid(HOST, "p-1", T1.plusSeconds(1)))
                .expectNoEvents()
                .expectState(account -> assertThat(account.earnings()).isEqualTo(EARNED));
    }

    @Test
    void refusesToPayAnUnknownPayout() {
        fixture.given(requested())
                .when(new RecordPayoutPaid(HOST, "p-unknown", T1))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void refusesToFailAnUnknownPayout() {
        fixture.given(requested())
                .when(new RecordPayoutFailed(HOST, "p-unknown", "declined", T1))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void refusesAFailureWithoutAReason() {
        fixture.given(requested())
                .when(new RecordPayoutFailed(HOST, "p-1", " ", T1))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void aPayoutIdStaysUsedAfterItFailed() {
        fixture.given(plus(requested(), new PayoutFailed(HOST, "p-1", PAYOUT, false, "declined", T1)))
                .when(new RequestPayout(HOST, "p-1", PAYOUT, T1.plusSeconds(1)))
                .expectNoEvents();
    }

    private static List<Object> plus(List<Object> given, Object... more) {
        List<Object> all = new ArrayList<>(given);
        all.addAll(List.of(more));
        return all;
    }
}

package io.archipelago.projections.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.projections.ReadModelDatabase;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class PayoutProjectionTest {

    private static final AccountId BOB = new AccountId("bob");
    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final PayoutProjection projection = new PayoutProjection(ReadModelDatabase.writes());
    private final PayoutViews payouts = new PayoutViews(jdbc);

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void aPayoutGoesFromRequestedToPaidFailedOrReversed() {
        projection.on(new PayoutRequested(BOB, "p-1", MicroCredits.of(700), T0), 10);
        projection.on(new PayoutRequested(BOB, "p-2", MicroCredits.of(300), T0.plusSeconds(1)), 11);
        projection.on(new PayoutRequested(BOB, "p-3", MicroCredits.of(100), T0.plusSeconds(2)), 12);
        projection.on(new PayoutPaid(BOB, "p-1", MicroCredits.of(700), T0.plusSeconds(60)), 13);
        projection.on(new PayoutFailed(BOB, "p-2", MicroCredits.of(300), false, "account closed",
                T0.plusSeconds(61)), 14);
        projection.on(new PayoutPaid(BOB, "p-3", MicroCredits.of(100), T0.plusSeconds(62)), 15);
        projection.on(new PayoutFailed(BOB, "p-3", MicroCredits.of(100), true, "transfer reversed",
                T0.plusSeconds(90)), 16);

        assertThat(payouts.requested("bob", null, Instant.EPOCH, FAR, 0, 10))
                .extracting(PayoutView::payoutId, PayoutView::status)
                .containsExactly(tuple("p-1", "PAID"),
                        tuple("p-2", "FAILED"),
                        tuple("p-3", "REVERSED"));
        assertThat(payouts.requested(null, "PAID", Instant.EPOCH, FAR, 0, 10)).singleElement()
                .satisfies(paid -> assertThat(paid.paidAt()).isEqualTo(T0.plusSeconds(60)));
        assertThat(payouts.requested(null, null, T0.plusSeconds(1), FAR, 0, 10)).hasSize(2);
        assertThat(payouts.requested(null, null, Instant.EPOCH, FAR, 1, 1)).extracting(PayoutView::payoutId)
                .containsExactly("p-2");
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        projection.on(new PayoutRequested(BOB, "p-1", MicroCredits.of(700), T0), 10);
        projection.on(new PayoutPaid(BOB, "p-1", MicroCredits.of(700), T0.plusSeconds(60)), 11);

        projection.on(new PayoutRequested(BOB, "p-1", MicroCredits.of(700), T0), 10);
        projection.on(new PayoutFailed(BOB, "p-1", MicroCredits.of(700), false, "late duplicate",
                T0.plusSeconds(70)), 11);

        assertThat(payouts.requested("bob", null, Instant.EPOCH, FAR, 0, 10)).singleElement()
                .satisfies(payout -> assertThat(payout.status()).isEqualTo("PAID"));
    }
}

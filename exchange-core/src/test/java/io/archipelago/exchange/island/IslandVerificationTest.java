package io.archipelago.exchange.island;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.FailIslandVerification;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandRegistered;
import io.archipelago.exchange.island.api.IslandVerificationFailed;
import io.archipelago.exchange.island.api.IslandVerified;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failed identity check is remembered as an event and never undoes a verification. */
class IslandVerificationTest {

    private static final IslandId ISLAND = new IslandId("island-1");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private AggregateTestFixture<Island> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Island.class);
    }

    private static IslandRegistered registered() {
        return new IslandRegistered(ISLAND, new AccountId("host-1"), Country.of("DE"),
                Set.of(new CargoType("llama-3-8b")), 2, AvailabilitySchedule.ALWAYS, false, Karma.INITIAL, T0);
    }

    @Test
    void recordsAFailedVerificationOfAnUnverifiedHost() {
        fixture.given(registered())
                .when(new FailIslandVerification(ISLAND, "document unverified", T1))
                .expectEvents(new IslandVerificationFailed(ISLAND, "document unverified", T1));
    }

    @Test
    void aLateFailureNeverUndoesAVerification() {
        fixture.given(registered(), new IslandVerified(ISLAND, T0.plusSeconds(30)))
                .when(new FailIslandVerification(ISLAND, "stale attempt", T1))
                .expectNoEvents();
    }

    @Test
    void aHostMayBeVerifiedAfterAFailedAttempt() {
        fixture.given(registered(), new IslandVerificationFailed(ISLAND, "document unverified", T0.plusSeconds(30)))
                .when(new FailIslandVerification(ISLAND, "canceled", T1))
                .expectEvents(new IslandVerificationFailed(ISLAND, "canceled", T1));
    }

    @Test
    void refusesAFailureWithoutAReason() {
        fixture.given(registered())
                .when(new FailIslandVerification(ISLAND, "", T1))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }
}

package io.archipelago.projections.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.BidPreferencesSet;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.projections.ReadModelDatabase;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The bid preferences read model on real PostgreSQL, and the cache requests read it through. */
class BidPreferencesProjectionTest {

    private static final AccountId ALICE = new AccountId("alice");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final BidPreferences SWISS = new BidPreferences(PricePerUnit.of(2_000), 20L,
            JurisdictionPolicy.ch(), Karma.of(400), 50_000L, true);
    private static final BidPreferences GERMAN_OR_DUTCH = new BidPreferences(null, null,
            JurisdictionPolicy.parse("NL,DE"), null, null, false);

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final BidPreferencesViews views = new BidPreferencesViews(jdbc);
    private final BidPreferencesProjection projection = new BidPreferencesProjection(jdbc, views);

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void keepsEveryTermOfTheLastPreferencesSet() {
        projection.on(new BidPreferencesSet(ALICE, SWISS, T0), 3);

        BidPreferencesView view = views.find("alice").orElseThrow();
        assertThat(view.preferences()).isEqualTo(SWISS);
        assertThat(view.setAt()).isEqualTo(T0);

        projection.on(new BidPreferencesSet(ALICE, GERMAN_OR_DUTCH, T0.plusSeconds(1)), 4);
        BidPreferences replaced = views.find("alice").orElseThrow().preferences();
        assertThat(replaced).isEqualTo(GERMAN_OR_DUTCH);
        assertThat(replaced.jurisdiction().name()).isEqualTo("COUNTRIES");
        assertThat(replaced.limit()).isNull();
        assertThat(replaced.minKarma()).isNull();
    }

    @Test
    void anEventDeliveredAgainOrLateChangesNothing() {
        projection.on(new BidPreferencesSet(ALICE, SWISS, T0), 3);
        projection.on(new BidPreferencesSet(ALICE, GERMAN_OR_DUTCH, T0.plusSeconds(1)), 4);
        projection.on(new BidPreferencesSet(ALICE, SWISS, T0), 3);

        assertThat(views.find("alice").orElseThrow().preferences()).isEqualTo(GERMAN_OR_DUTCH);
    }

    @Test
    void anAccountWithoutPreferencesHasNone() {
        assertThat(views.find("bob")).isEmpty();
        assertThat(views.current("bob")).isEqualTo(BidPreferences.NONE);
    }

    @Test
    void theCacheForgetsAnAccountWhenItsPreferencesAreProjected() {
        assertThat(views.current("alice")).isEqualTo(BidPreferences.NONE);

        projection.on(new BidPreferencesSet(ALICE, SWISS, T0), 3);

        assertThat(views.current("alice")).isEqualTo(SWISS);
    }

    @Test
    void aRebuildEmptiesTheTableAndTheCache() {
        projection.on(new BidPreferencesSet(ALICE, SWISS, T0), 3);
        assertThat(views.current("alice")).isEqualTo(SWISS);

        projection.reset();

        assertThat(views.find("alice")).isEmpty();
        assertThat(views.current("alice")).isEqualTo(BidPreferences.NONE);
    }
}

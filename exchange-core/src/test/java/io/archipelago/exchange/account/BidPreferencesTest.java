package io.archipelago.exchange.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.BidPreferencesSet;
import io.archipelago.exchange.account.api.SetBidPreferences;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

/** The account's bid preferences through Axon's fixture: set whole, recorded once, kept by replay. */
class BidPreferencesTest {

    private static final AccountId ALICE = new AccountId("alice");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(30);
    private static final BidPreferences SWISS = new BidPreferences(PricePerUnit.of(2_000), 20L,
            JurisdictionPolicy.ch(), Karma.of(400), 50_000L, true);

    private final AggregateTestFixture<Account> fixture = new AggregateTestFixture<>(Account.class);

    @Test
    void recordsTheAccountsPreferencesWhole() {
        fixture.given(new AccountOpened(ALICE, Country.of("DE"), T0))
                .when(new SetBidPreferences(ALICE, SWISS, LATER))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new BidPreferencesSet(ALICE, SWISS, LATER))
                .expectState(account -> assertThat(account.preferences()).isEqualTo(SWISS));
    }

    @Test
    void replacesEveryTermSoATermLeftOutIsNoLongerPreferred() {
        BidPreferences limitOnly = new BidPreferences(PricePerUnit.of(3_000), null, null, null, null, false);
        fixture.given(new AccountOpened(ALICE, Country.of("DE"), T0), new BidPreferencesSet(ALICE, SWISS, T0))
                .when(new SetBidPreferences(ALICE, limitOnly, LATER))
                .expectEvents(new BidPreferencesSet(ALICE, limitOnly, LATER))
                .expectState(account -> {
                    assertThat(account.preferences().jurisdiction()).isNull();
                    assertThat(account.preferences().verifiedOnly()).isFalse();
                });
    }

    @Test
    void recordsNothingWhenThePreferencesAreAlreadyThose() {
        fixture.given(new AccountOpened(ALICE, Country.of("DE"), T0), new BidPreferencesSet(ALICE, SWISS, T0))
                .when(new SetBidPreferences(ALICE, new BidPreferences(PricePerUnit.of(2_000), 20L,
                        JurisdictionPolicy.parse("ch"), Karma.of(400), 50_000L, true), LATER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void clearsEveryPreference() {
        fixture.given(new AccountOpened(ALICE, Country.of("DE"), T0), new BidPreferencesSet(ALICE, SWISS, T0))
                .when(new SetBidPreferences(ALICE, BidPreferences.NONE, LATER))
                .expectEvents(new BidPreferencesSet(ALICE, BidPreferences.NONE, LATER))
                .expectState(account -> assertThat(account.preferences()).isEqualTo(BidPreferences.NONE));
    }

    @Test
    void refusesPreferencesForAnAccountThatOnlyEarns() {
        fixture.given(new AccountOpened(AccountId.PLATFORM, null, T0))
                .when(new SetBidPreferences(AccountId.PLATFORM, SWISS, LATER))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void startsWithoutPreferences() {
        fixture.given(new AccountOpened(ALICE, Country.of("DE"), T0))
                .when(new SetBidPreferences(ALICE, BidPreferences.NONE, LATER))
                .expectNoEvents()
                .expectState(account -> assertThat(account.preferences()).isEqualTo(BidPreferences.NONE));
    }

    @Test
    void refusesTermsNoBidCouldCarry() {
        assertThatThrownBy(() -> new BidPreferences(PricePerUnit.ZERO, null, null, null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> new BidPreferences(null, 0L, null, null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("units");
        assertThatThrownBy(() -> new BidPreferences(null, null, null, null, 0L, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("round-trip");
        assertThatThrownBy(() -> new BidPreferences(null, null, null, null, BidPreferences.MAX_RTT_MICROS + 1,
                false)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.archipelago.exchange.market;

import static java.time.temporal.ChronoUnit.DAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.BidPreferencesSet;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidQuote;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.Exclusion;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.QuoteBid;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.SubmitBids;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomMatcher;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The account's bid preferences bind its bids in the market itself, read from the Account aggregate in the same unit
 * of work as the escrow, so a bid submitted right after the preferences changed is bound by the new ones whatever a
 * read model says: the jurisdiction is narrowed to the countries in both (none in common: rejected), the minimum karma
 * is the higher, the round-trip ceiling the lower, verified-only either's. BidSubmitted records the constraints as
 * bound, and a quote of the same bid agrees with its submission.
 */
class BidPreferencesBindBidsTest {

    private static final CargoType CARGO = new CargoType("llm.chat.demo");
    private static final AccountId PUBLISHER = new AccountId("publisher");
    private static final PricePerUnit ROYALTY = PricePerUnit.of(100);
    private static final AccountId ALICE = new AccountId("alice");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant EARLIER = T0.minus(1, DAYS);

    private static final Island ZURICH = new Island("demo-zurich", "CH", 500, 500, 900, true);
    private static final Island FRANKFURT = new Island("demo-frankfurt", "DE", 1_000, 500, 900, true);
    private static final Island AMSTERDAM = new Island("demo-amsterdam", "NL", 41_000, 800, 700, false);
    private static final Island ROTTERDAM = new Island("demo-rotterdam", "NL", 2_000, 800, 700, false);

    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);

    @Test
    void rejectsABidWhoseJurisdictionSharesNoCountryWithTheAccountsAndReservesNothing() {
        living("DE", new BidPreferences(null, null, JurisdictionPolicy.ch(), null, null, false));
        SubmitBid bid = bid("job-1", JurisdictionPolicy.eu());

        fixture().given(market(ZURICH, FRANKFURT))
                .when(bid)
                .expectResultMessagePayload(
                        BidOutcome.rejected(bid.jobId(), RejectionReason.POLICY_JURISDICTION_CONFLICT))
                .expectEvents(new BidRejected(CARGO, bid.jobId(), ALICE, RejectionReason.POLICY_JURISDICTION_CONFLICT,
                        "the account's jurisdiction is CH and the bid's has no country in it: a bid may only narrow "
                                + "the account's jurisdiction (to the countries in both), never widen it", T0));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void placesABidThatNamesNoJurisdictionInsideTheAccountsInsteadOfTheHoldersRegion() {
        living("CH", new BidPreferences(null, null, JurisdictionPolicy.eu(), null, null, false));
        SubmitBid bid = bid("job-1", null);

        fixture().given(market(ZURICH, FRANKFURT))
                .when(bid)
                .expectResultMessagePayload(BidOutcome.placed(bid.jobId(), FRANKFURT.id()))
                .expectEvents(submitted(bid, JurisdictionPolicy.eu(), Karma.NONE, Long.MAX_VALUE, false),
                        placed(bid, FRANKFURT));
    }

    @Test
    void withoutPreferencesTheSameBidGoesToTheHoldersRegion() {
        living("CH", BidPreferences.NONE);
        SubmitBid bid = bid("job-1", null);

        fixture().given(market(ZURICH, FRANKFURT))
                .when(bid)
                .expectEvents(submitted(bid, JurisdictionPolicy.regionOf(Country.of("CH")), Karma.NONE,
                        Long.MAX_VALUE, false), placed(bid, ZURICH));
    }

    @Test
    void theLatestPreferencesTheAccountHoldsBindTheBid() {
        // the state a read model may still show for a moment is the first; the account already holds the second
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of("DE"), EARLIER),
                new CreditsDeposited(ALICE, "deposit-1", MicroCredits.credits(1), EARLIER),
                new BidPreferencesSet(ALICE, new BidPreferences(null, null, JurisdictionPolicy.eu(), null, null,
                        false), EARLIER),
                new BidPreferencesSet(ALICE, new BidPreferences(null, null, JurisdictionPolicy.ch(), null, null,
                        false), T0.minusMillis(1)));
        SubmitBid toGermany = bid("job-1", JurisdictionPolicy.parse("DE"));
        SubmitBid anywhere = bid("job-2", null);

        fixture().given(market(ZURICH, FRANKFURT))
                .when(new SubmitBids(CARGO, List.of(toGermany, anywhere)))
                .expectResultMessagePayload(List.of(
                        BidOutcome.rejected(toGermany.jobId(), RejectionReason.POLICY_JURISDICTION_CONFLICT),
                        BidOutcome.placed(anywhere.jobId(), ZURICH.id())));
        assertThat(accounts.appended()).containsExactly(
                new CreditsReserved(ALICE, anywhere.jobId(), MicroCredits.of(50_000), T0));
    }

    @Test
    void narrowsTheAccountsJurisdictionToTheCountriesInBoth() {
        living("DE", new BidPreferences(null, null, JurisdictionPolicy.eu(), null, null, false));
        SubmitBid bid = bid("job-1", JurisdictionPolicy.parse("CH,DE"));

        fixture().given(market(ZURICH, FRANKFURT))
                .when(bid)
                .expectEvents(submitted(bid, JurisdictionPolicy.countries(Set.of(Country.of("DE"))),
                        Karma.NONE, Long.MAX_VALUE, false), placed(bid, FRANKFURT));
    }

    @Test
    void takesTheAccountsTermsWhereTheBidNamesNoneAndTheBidsWhereTheyAreTighter() {
        living("DE", new BidPreferences(null, null, null, Karma.of(600), 30_000L, false));
        SubmitBid unnamed = new SubmitBid(CARGO, new JobId("job-1"), ALICE, PricePerUnit.of(5_000), 10, null,
                null, null, true, Duration.ofSeconds(3), T0);
        SubmitBid tighter = new SubmitBid(CARGO, new JobId("job-2"), ALICE, PricePerUnit.of(5_000), 10, null,
                Karma.of(900), 20_000L, false, Duration.ofSeconds(3), T0);

        // Rotterdam, the only Island in the region, is unverified and its karma of 800 under 900: both bids rest
        fixture().given(market(ZURICH, ROTTERDAM))
                .when(new SubmitBids(CARGO, List.of(unnamed, tighter)))
                .expectEvents(submitted(unnamed, JurisdictionPolicy.regionOf(Country.of("DE")), Karma.of(600),
                                30_000L, true),
                        submitted(tighter, JurisdictionPolicy.regionOf(Country.of("DE")), Karma.of(900), 20_000L,
                                false));
    }

    @ParameterizedTest
    @CsvSource({"300, 20000, KARMA", "700, 50000, LATENCY"})
    void rejectsABidThatWouldRelaxTheAccountsKarmaOrLatencyAndReservesNothing(int karma, long maxRtt,
                                                                                String conflict) {
        living("DE", new BidPreferences(null, null, null, Karma.of(600), 30_000L, false));
        SubmitBid looser = new SubmitBid(CARGO, new JobId("job-1"), ALICE, PricePerUnit.of(5_000), 10, null,
                Karma.of(karma), maxRtt, false, Duration.ofSeconds(3), T0);
        RejectionReason reason = BoundTerms.Conflict.valueOf(conflict).reason();

        fixture().given(market(ZURICH, ROTTERDAM))
                .when(looser)
                .expectResultMessagePayload(BidOutcome.rejected(looser.jobId(), reason));
        assertThat(accounts.appended()).isEmpty();
    }

    @Test
    void aVerifiedOnlyPreferenceKeepsTheBidOffUnverifiedIslands() {
        living("DE", new BidPreferences(null, null, null, null, null, true));
        SubmitBid bid = bid("job-1", null);

        fixture().given(market(AMSTERDAM, ROTTERDAM))
                .when(bid)
                .expectResultMessagePayload(BidOutcome.resting(bid.jobId()))
                .expectEvents(submitted(bid, JurisdictionPolicy.regionOf(Country.of("DE")), Karma.NONE,
                        Long.MAX_VALUE, true));
    }

    @Test
    void aQuoteIsBoundByThePreferencesAsTheSubmissionIs() {
        living("CH", new BidPreferences(null, null, JurisdictionPolicy.eu(), Karma.of(400), null, false));

        BidQuote inside = quote(bid("job-1", null), ZURICH, FRANKFURT, AMSTERDAM);
        assertThat(inside.jurisdiction()).isEqualTo(JurisdictionPolicy.eu());
        assertThat(inside.islandId()).isEqualTo(FRANKFURT.id());
        assertThat(inside.price()).isEqualTo(Pricing.quote(PricePerUnit.of(900), ROYALTY, Karma.of(500)));
        assertThat(inside.eligible()).isEqualTo(2);
        assertThat(inside.excluded()).containsEntry(Exclusion.JURISDICTION, 1);
        assertThat(inside.rejection()).isNull();

        BidQuote outside = quote(bid("job-1", JurisdictionPolicy.ch()), ZURICH, FRANKFURT, AMSTERDAM);
        assertThat(outside.rejection()).isEqualTo(RejectionReason.POLICY_JURISDICTION_CONFLICT);
        assertThat(outside.jurisdiction()).isNull();
        assertThat(outside.islandId()).isNull();
        assertThat(outside.eligible()).isZero();
        assertThat(outside.excluded()).containsEntry(Exclusion.JURISDICTION, 3);
    }

    @Test
    void aQuoteUnderAVerifiedOnlyPreferenceCountsTheUnverifiedIslandsOut() {
        living("DE", new BidPreferences(null, null, null, null, null, true));

        BidQuote quote = quote(bid("job-1", null), AMSTERDAM, ROTTERDAM);
        assertThat(quote.eligible()).isZero();
        assertThat(quote.islandId()).isNull();
        assertThat(quote.excluded()).containsEntry(Exclusion.VERIFIED, 2);
        assertThat(quote.rejection()).isNull();
    }

    /** Opens Alice's account at home in {@code country} with a credit and {@code preferences}. */
    private void living(String country, BidPreferences preferences) {
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of(country), EARLIER),
                new CreditsDeposited(ALICE, "deposit-1", MicroCredits.credits(1), EARLIER));
        if (!preferences.equals(BidPreferences.NONE)) {
            accounts.seed(ALICE.value(), new BidPreferencesSet(ALICE, preferences, EARLIER));
        }
    }

    private AggregateTestFixture<Market> fixture() {
        AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);
        fixture.setReportIllegalStateChange(false);
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        return fixture;
    }

    private BidQuote quote(SubmitBid bid, Island... islands) {
        List<Object> answers = new ArrayList<>();
        fixture().given(market(islands))
                .when(new QuoteBid(bid))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(new CustomMatcher<Object>("a quote") {
                    @Override
                    public boolean matches(Object item) {
                        answers.add(item);
                        return item instanceof BidQuote;
                    }
                });
        assertThat(accounts.appended()).isEmpty();
        return (BidQuote) answers.get(0);
    }

    private static SubmitBid bid(String jobId, @Nullable JurisdictionPolicy jurisdiction) {
        return new SubmitBid(CARGO, new JobId(jobId), ALICE, PricePerUnit.of(5_000), 10, jurisdiction, null, null,
                false, Duration.ofSeconds(3), T0);
    }

    private static BidSubmitted submitted(SubmitBid bid, JurisdictionPolicy jurisdiction, Karma minKarma,
                                          long maxRttMicros, boolean verifiedOnly) {
        return new BidSubmitted(CARGO, bid.jobId(), ALICE, bid.limit(), bid.maxUnits(), jurisdiction, minKarma,
                maxRttMicros, verifiedOnly, bid.worstCase(), T0.plus(bid.ttl()), T0);
    }

    private static JobPlaced placed(SubmitBid bid, Island island) {
        return new JobPlaced(CARGO, bid.jobId(), ALICE, island.id(), island.owner(),
                Pricing.quote(PricePerUnit.of(island.price()), ROYALTY, Karma.of(island.karma())), island.rtt(),
                Karma.of(island.karma()), T0);
    }

    private static List<Object> market(Island... islands) {
        List<Object> events = new ArrayList<>();
        events.add(new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, EARLIER));
        for (Island island : islands) {
            events.add(new AskPlaced(CARGO, island.id(), island.owner(), PricePerUnit.of(island.price()),
                    new IslandConditions(Country.of(island.country()), 4, AvailabilitySchedule.ALWAYS,
                            island.verified(), true, island.rtt(), Karma.of(island.karma())), EARLIER));
        }
        return events;
    }

    private record Island(String name, String country, long rtt, int karma, long price, boolean verified) {
        IslandId id() {
            return new IslandId(name);
        }

        AccountId owner() {
            return new AccountId("host-" + name);
        }
    }
}

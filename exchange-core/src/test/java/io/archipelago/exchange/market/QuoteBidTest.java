package io.archipelago.exchange.market;

import static java.time.temporal.ChronoUnit.DAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.fixtures.AggregateStore;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.BidQuote;
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
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomMatcher;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quotes through Axon's fixture: what a bid would pay and where it would go, the same as a submission of that bid
 * then does; why nothing would take it, each Island counted under the first constraint that excludes it; and that a
 * quote records nothing.
 */
class QuoteBidTest {

    private static final CargoType CARGO = new CargoType("llm.chat.demo");
    private static final AccountId PUBLISHER = new AccountId("publisher");
    private static final PricePerUnit ROYALTY = PricePerUnit.of(100);
    private static final AccountId ALICE = new AccountId("alice");
    private static final MicroCredits ALICE_FUNDS = MicroCredits.credits(1);
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private static final Island FRANKFURT = new Island("demo-frankfurt", "DE", 1_000, 500, 900, true);
    private static final Island ZURICH = new Island("demo-zurich", "CH", 21_000, 500, 1_100, true);
    private static final Island AMSTERDAM = new Island("demo-amsterdam", "NL", 41_000, 500, 700, false);

    private final AggregateTestFixture<Market> fixture = new AggregateTestFixture<>(Market.class);
    private final AggregateStore<Account> accounts = AggregateStore.of(Account.class);

    @BeforeEach
    void wirePorts() {
        fixture.setReportIllegalStateChange(false);
        fixture.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        accounts.seed(ALICE.value(), new AccountOpened(ALICE, Country.of("DE"), T0.minus(1, DAYS)),
                new CreditsDeposited(ALICE, "deposit-1", ALICE_FUNDS, T0.minus(1, DAYS)));
    }

    @Test
    void quotesTheIslandAndPriceASubmissionOfTheSameBidIsPlacedAt() {
        SubmitBid bid = bid(5_000, null);
        UnitPrice frankfurt = Pricing.quote(PricePerUnit.of(900), ROYALTY, Karma.of(500));

        fixture.given(market())
                .when(new QuoteBid(bid))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new BidQuote(CARGO, JurisdictionPolicy.regionOf(Country.of("DE")), 3, 2,
                        FRANKFURT.id(), frankfurt, MicroCredits.of(50_000), ALICE_FUNDS,
                        excluded(Map.of(Exclusion.JURISDICTION, 1)), null));
        assertThat(accounts.appended()).isEmpty();

        AggregateTestFixture<Market> submission = new AggregateTestFixture<>(Market.class);
        submission.setReportIllegalStateChange(false);
        submission.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        submission.given(market())
                .when(bid)
                .expectEvents(new BidSubmitted(CARGO, bid.jobId(), ALICE, bid.limit(), bid.maxUnits(),
                                JurisdictionPolicy.regionOf(Country.of("DE")), Karma.NONE, Long.MAX_VALUE, false,
                                MicroCredits.of(50_000), T0.plusSeconds(3), T0),
                        new JobPlaced(CARGO, bid.jobId(), ALICE, FRANKFURT.id(), FRANKFURT.owner(), frankfurt,
                                1_000, Karma.of(500), T0));
    }

    @Test
    void countsEachIslandUnderTheFirstConstraintThatExcludesIt() {
        // Zurich is outside the jurisdiction and too dear, Frankfurt too dear (1,067 all-in), Amsterdam cheap enough
        // (852) but unverified
        SubmitBid bid = new SubmitBid(CARGO, new JobId("job-1"), ALICE, PricePerUnit.of(950), 10,
                JurisdictionPolicy.eu(), null, null, true, Duration.ofSeconds(3), T0);

        fixture.given(market())
                .when(new QuoteBid(bid))
                .expectNoEvents()
                .expectResultMessagePayload(new BidQuote(CARGO, JurisdictionPolicy.eu(), 3, 0, null, null,
                        MicroCredits.of(9_500), ALICE_FUNDS,
                        excluded(Map.of(Exclusion.JURISDICTION, 1, Exclusion.PRICE, 1, Exclusion.VERIFIED, 1)), null));
    }

    @Test
    void countsKarmaLatencyAndVerificationAfterPrice() {
        SubmitBid bid = new SubmitBid(CARGO, new JobId("job-1"), ALICE, PricePerUnit.of(5_000), 10,
                JurisdictionPolicy.parse("DE,NL,CH"), Karma.of(400), 30_000L, true, Duration.ofSeconds(3), T0);

        List<Object> withLowKarma = new ArrayList<>(market());
        withLowKarma.add(ask(new Island("low-karma", "DE", 500, 100, 900, true)));
        fixture.given(withLowKarma)
                .when(new QuoteBid(bid))
                .expectResultMessagePayload(new BidQuote(CARGO, JurisdictionPolicy.parse("DE,NL,CH"), 4, 2,
                        FRANKFURT.id(), Pricing.quote(PricePerUnit.of(900), ROYALTY, Karma.of(500)),
                        MicroCredits.of(50_000), ALICE_FUNDS,
                        excluded(Map.of(Exclusion.KARMA, 1, Exclusion.LATENCY, 1)), null));
    }

    @Test
    void saysWhenTheBalanceWouldNotCoverTheWorstCase() {
        SubmitBid bid = new SubmitBid(CARGO, new JobId("job-1"), ALICE, PricePerUnit.of(5_000), 1_000, null, null,
                null, false, Duration.ofSeconds(3), T0);

        BidQuote quote = quote(bid);
        assertThat(quote.covered()).isFalse();
        assertThat(quote.rejection()).isEqualTo(RejectionReason.LEDGER_INSUFFICIENT_CREDITS);
        assertThat(quote.eligible()).isEqualTo(2);
    }

    @Test
    void saysTheLimitCannotPayTheRoyaltyAndThatAnUnknownAccountIsNotOpen() {
        assertThat(quote(bid(50, null)).rejection()).isEqualTo(RejectionReason.MARKET_LIMIT_BELOW_ROYALTY);

        BidQuote stranger = quote(new SubmitBid(CARGO, new JobId("job-1"), new AccountId("stranger"),
                PricePerUnit.of(5_000), 10, null, null, null, false, Duration.ofSeconds(3), T0));
        assertThat(stranger.rejection()).isEqualTo(RejectionReason.LEDGER_UNKNOWN_ACCOUNT);
        assertThat(stranger.jurisdiction()).isNull();
        assertThat(stranger.available()).isNull();
        // without a region to judge, every Island that passes the other constraints is counted eligible
        assertThat(stranger.eligible()).isEqualTo(3);
    }

    @Test
    void refusesAMalformedBidAsASubmissionWould() {
        fixture.given(market())
                .when(new QuoteBid(new SubmitBid(CARGO, new JobId("job-1"), ALICE, PricePerUnit.of(5_000), 0, null,
                        null, null, false, Duration.ofSeconds(3), T0)))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    /** Runs the quote on a market of the three Islands and returns its answer. */
    private BidQuote quote(SubmitBid bid) {
        List<Object> answers = new ArrayList<>();
        AggregateTestFixture<Market> quoting = new AggregateTestFixture<>(Market.class);
        quoting.setReportIllegalStateChange(false);
        quoting.registerInjectableResource(new RepositoryAccounts(accounts::repository));
        quoting.given(market())
                .when(new QuoteBid(bid))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(new CustomMatcher<Object>("a quote") {
                    @Override
                    public boolean matches(Object item) {
                        answers.add(item);
                        return item instanceof BidQuote;
                    }
                });
        return (BidQuote) answers.get(0);
    }

    private static SubmitBid bid(long limit, @Nullable JurisdictionPolicy jurisdiction) {
        return new SubmitBid(CARGO, new JobId("job-1"), ALICE, PricePerUnit.of(limit), 10, jurisdiction, null,
                null, false, Duration.ofSeconds(3), T0);
    }

    private static List<Object> market() {
        return List.of(new CargoRegistered(CARGO, CargoUnit.THOUSAND_TOKENS, PUBLISHER, ROYALTY, T0.minus(1, DAYS)),
                ask(FRANKFURT), ask(ZURICH), ask(AMSTERDAM));
    }

    private static AskPlaced ask(Island island) {
        return new AskPlaced(CARGO, island.id(), island.owner(), PricePerUnit.of(island.price()),
                new IslandConditions(Country.of(island.country()), 4, AvailabilitySchedule.ALWAYS, island.verified(),
                        true, island.rtt(), Karma.of(island.karma())), T0.minus(1, DAYS));
    }

    private static Map<Exclusion, Integer> excluded(Map<Exclusion, Integer> counts) {
        Map<Exclusion, Integer> all = new EnumMap<>(Exclusion.class);
        for (Exclusion exclusion : Exclusion.values()) {
            all.put(exclusion, counts.getOrDefault(exclusion, 0));
        }
        return all;
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

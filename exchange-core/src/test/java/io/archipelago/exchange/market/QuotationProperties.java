package io.archipelago.exchange.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.MatcherProperties.AskSpec;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.Exclusion;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * A quote and the matcher on the same random books: the quote finds an eligible Island exactly when the matcher
 * places the bid, names the Island the matcher places it on, and accounts for every ask once, eligible or under one
 * exclusion, also when the bid avoids some Islands, and when the bid is bound by its account's preferences. The matcher
 * walks country shelves of open asks and stops early; the quote scans every ask; both judge an ask by
 * {@link Eligibility} alone.
 */
class QuotationProperties {

    private static final List<Country> COUNTRIES = List.of(Country.of("DE"), Country.of("FR"), Country.of("CH"),
            Country.of("US"), Country.of("GB"));
    private static final PricePerUnit ROYALTY = PricePerUnit.of(50);
    private static final Instant MONDAY_NOON = Instant.parse("2026-01-05T12:00:00Z");
    private static final AvailabilitySchedule WEEKDAYS =
            new AvailabilitySchedule(List.of(new AvailabilitySchedule.Window(0, 5 * 24 * 60)));

    /** {@code avoid}: the indices of the Islands the bid avoids (beyond the book's size: none). */
    record BidSpec(int policy, long limit, int minKarma, long maxRtt, boolean verifiedOnly, Set<Integer> avoid) {
    }

    static Gen<BidSpec> bids() {
        Gen<Set<Integer>> avoid = lists().of(integers().between(0, 24)).ofSizeBetween(0, 6)
                .map(indices -> new TreeSet<>(indices));
        return integers().between(0, 4).zip(
                longs().between(300, 1_300),
                pick(List.of(0, 0, 0, 500, 800)),
                pick(List.of(Long.MAX_VALUE, Long.MAX_VALUE, 150L, 250L)),
                (policy, limit, minKarma, maxRtt) -> new BidSpec(policy, limit, minKarma, maxRtt, false, Set.of()))
                .zip(pick(List.of(false, false, true)), avoid,
                        (spec, verifiedOnly, avoided) -> new BidSpec(spec.policy(), spec.limit(), spec.minKarma(),
                                spec.maxRtt(), verifiedOnly, avoided));
    }

    /** {@code policy}: one of the bids' five jurisdictions, or none above 4; {@code Long.MAX_VALUE}: no ceiling. */
    record PreferenceSpec(int policy, int minKarma, long maxRtt, boolean verifiedOnly) {
    }

    static Gen<PreferenceSpec> preferences() {
        return integers().between(0, 7).zip(
                pick(List.of(0, 0, 0, 500)),
                pick(List.of(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 250L)),
                pick(List.of(false, false, false, true)),
                PreferenceSpec::new);
    }

    static Gen<Instant> moments() {
        return pick(List.of(MONDAY_NOON, MONDAY_NOON.plusSeconds(6 * 24 * 3600)));
    }

    @Test
    void theQuoteFindsAnIslandExactlyWhenTheMatcherPlacesTheBidThere() {
        qt().withExamples(2_000).forAll(MatcherProperties.books(), bids(), moments())
                .checkAssert(QuotationProperties::theQuoteFindsAnIslandExactlyWhenTheMatcherPlacesTheBidThere);
    }

    private static void theQuoteFindsAnIslandExactlyWhenTheMatcherPlacesTheBidThere(List<AskSpec> specs,
                                                                                    BidSpec spec, Instant at) {
        List<Ask> asks = new ArrayList<>();
        OrderBook book = book(specs, at, asks);
        Bid bid = bid(spec, policy(spec.policy()), Karma.of(spec.minKarma()), spec.maxRtt(), spec.verifiedOnly(), at);

        Quotation quotation = Quotation.of(book.asks(), bid, bid.jurisdiction().countries(), at);
        Ask placed = book.bestAsk(bid, at);

        assertThat(quotation.eligible > 0).isEqualTo(placed != null);
        assertThat(Optional.ofNullable(quotation.best).map(ask -> ask.islandId))
                .isEqualTo(Optional.ofNullable(placed).map(ask -> ask.islandId));
        if (placed != null) {
            assertThat(quotation.best.unitPrice).isEqualTo(placed.unitPrice);
        }
        assertThat(quotation.eligible + quotation.excluded.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(asks.size());
    }

    /**
     * A bid bound by its account's bid preferences (as the market binds it with {@link BoundTerms}) is placed only on
     * an Island both the bid and the preferences allow, and the quote of the bound bid agrees with the matcher; when
     * the two jurisdictions share no country the quote finds every Island online out by jurisdiction.
     */
    @Test
    void aBidBoundByItsAccountsPreferencesGoesOnlyWhereBothAllowAndTheQuoteAgrees() {
        qt().withExamples(1_000).forAll(MatcherProperties.books(), bids(), preferences(), moments()).checkAssert(
                QuotationProperties::aBidBoundByItsAccountsPreferencesGoesOnlyWhereBothAllowAndTheQuoteAgrees);
    }

    private static void aBidBoundByItsAccountsPreferencesGoesOnlyWhereBothAllowAndTheQuoteAgrees(
            List<AskSpec> specs, BidSpec spec, PreferenceSpec preferred, Instant at) {
        List<Ask> asks = new ArrayList<>();
        OrderBook book = book(specs, at, asks);
        SubmitBid submitted = new SubmitBid(new CargoType("llm.chat.demo"), new JobId("job"),
                new AccountId("consumer"), PricePerUnit.of(spec.limit()), 1, policy(spec.policy()),
                spec.minKarma() == 0 ? null : Karma.of(spec.minKarma()),
                spec.maxRtt() == Long.MAX_VALUE ? null : spec.maxRtt(), spec.verifiedOnly(), Duration.ofMinutes(1),
                at, avoided(spec));
        BidPreferences preferences = new BidPreferences(null, null,
                preferred.policy() < 5 ? policy(preferred.policy()) : null,
                preferred.minKarma() == 0 ? null : Karma.of(preferred.minKarma()),
                preferred.maxRtt() == Long.MAX_VALUE ? null : preferred.maxRtt(), preferred.verifiedOnly());
        BoundTerms terms = BoundTerms.of(submitted, preferences);

        if (terms.jurisdictionConflict()) {
            assertThat(policy(spec.policy()).countries())
                    .noneMatch(country -> preferences.jurisdiction().allows(country));
            Bid any = bid(spec, policy(spec.policy()), Karma.NONE, Long.MAX_VALUE, false, at);
            Quotation nowhere = Quotation.of(book.asks(), any, Set.of(), at);
            assertThat(nowhere.eligible).isZero();
            assertThat(nowhere.best).isNull();
            assertThat(nowhere.excluded.get(Exclusion.JURISDICTION))
                    .isEqualTo((int) asks.stream().filter(ask -> ask.conditions.online()).count());
            return;
        }
        Bid bound = bid(spec, terms.jurisdiction(), terms.minKarma(), terms.maxRttMicros(), terms.verifiedOnly(),
                at);
        Quotation quotation = Quotation.of(book.asks(), bound, bound.jurisdiction().countries(), at);
        Ask placed = book.bestAsk(bound, at);

        assertThat(Optional.ofNullable(quotation.best).map(ask -> ask.islandId))
                .isEqualTo(Optional.ofNullable(placed).map(ask -> ask.islandId));
        if (placed != null) {
            IslandConditions island = placed.conditions;
            assertThat(policy(spec.policy()).allows(island.country())).isTrue();
            assertThat(preferences.jurisdiction() == null || preferences.jurisdiction().allows(island.country()))
                    .isTrue();
            assertThat(island.karma().points()).isGreaterThanOrEqualTo(Math.max(spec.minKarma(),
                    preferred.minKarma()));
            assertThat(island.rttMicros()).isLessThanOrEqualTo(Math.min(spec.maxRtt(), preferred.maxRtt()));
            assertThat(island.verified() || !(spec.verifiedOnly() || preferred.verifiedOnly())).isTrue();
        }
    }

    /** A book of {@code specs}, its asks also added to {@code asks}, with their used slots taken by jobs. */
    private static OrderBook book(List<AskSpec> specs, Instant at, List<Ask> asks) {
        OrderBook book = new OrderBook(ROYALTY);
        for (int i = 0; i < specs.size(); i++) {
            AskSpec s = specs.get(i);
            Ask ask = new Ask(new IslandId(String.format("island-%02d", i)), new AccountId("host"),
                    PricePerUnit.of(s.price()), ROYALTY, new IslandConditions(COUNTRIES.get(s.country()), s.slots(),
                    s.flags() > 8 ? WEEKDAYS : AvailabilitySchedule.ALWAYS, s.flags() % 2 == 1, s.flags() % 3 != 0,
                    s.rtt(), Karma.of(s.karma())));
            book.addAsk(ask);
            // placing jobs through the book keeps each shelf's marks of open asks as the matcher relies on them
            for (int job = 0; job < Math.min(s.used(), s.slots()); job++) {
                book.place(new Placement(new JobId("running-" + i + "-" + job), new AccountId("other"), ask.islandId,
                        ask.owner, ask.unitPrice, 1, MicroCredits.ZERO, s.rtt(), -1, at));
            }
            asks.add(ask);
        }
        return book;
    }

    private static Bid bid(BidSpec spec, JurisdictionPolicy jurisdiction, Karma minKarma, long maxRtt,
                           boolean verifiedOnly, Instant at) {
        return new Bid(new JobId("job"), new AccountId("consumer"), PricePerUnit.of(spec.limit()), 1, jurisdiction,
                minKarma, maxRtt, verifiedOnly, MicroCredits.ZERO, at.plusSeconds(60), 0, avoided(spec));
    }

    private static Set<IslandId> avoided(BidSpec spec) {
        return spec.avoid().stream().map(i -> new IslandId(String.format("island-%02d", i)))
                .collect(Collectors.toSet());
    }

    private static JurisdictionPolicy policy(int kind) {
        return switch (kind) {
            case 0 -> JurisdictionPolicy.eu();
            case 1 -> JurisdictionPolicy.ch();
            case 2 -> JurisdictionPolicy.regionOf(Country.of("US"));
            case 3 -> JurisdictionPolicy.countries(Set.of(Country.of("GB"), Country.of("FR")));
            default -> JurisdictionPolicy.countries(Set.copyOf(COUNTRIES));
        };
    }
}

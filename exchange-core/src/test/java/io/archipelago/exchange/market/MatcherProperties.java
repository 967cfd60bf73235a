package io.archipelago.exchange.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.island.api.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.island.api.IslandId;
import io.archipelago.exchange.karma.api.Karma;
import io.archipelago.exchange.market.api.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The order book's fast matcher against a naive reference written from DESIGN.md alone: filter every ask by every
 * hard constraint, sort by lowest RTT, higher karma, lower price, Island id, take the first. They must always agree,
 * also after asks were repriced, re-conditioned and withdrawn (which re-sorts the country shelves).
 */
class MatcherProperties {

    private static final List<Country> COUNTRIES = List.of(Country.of("DE"), Country.of("FR"), Country.of("CH"),
            Country.of("US"), Country.of("GB"));
    private static final PricePerUnit ROYALTY = PricePerUnit.of(50);
    private static final Instant MONDAY_NOON = Instant.parse("2026-01-05T12:00:00Z");

    /** {@code flags}: offline when divisible by 3, verified when odd, on a weekday-only schedule when above 8. */
    record AskSpec(int country, long rtt, int karma, long price, int slots, int used, int flags) {
        boolean online() {
            return flags % 3 != 0;
        }

        boolean verified() {
            return flags % 2 == 1;
        }

        boolean weekdaysOnly() {
            return flags > 8;
        }
    }

    record BidSpec(int policy, long limit, int minKarma, long maxRtt, boolean verifiedOnly) {
    }

    record Change(int island, int kind, long value) {
    }

    @Provide
    Arbitrary<List<AskSpec>> books() {
        Arbitrary<AskSpec> ask = Combinators.combine(
                Arbitraries.integers().between(0, COUNTRIES.size() - 1),
                Arbitraries.of(100L, 200L, 300L, IslandConditions.RTT_UNKNOWN),
                Arbitraries.of(100, 500, 700, 900),
                Arbitraries.longs().between(100, 1_000),
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 11)).as(AskSpec::new);
        return ask.list().ofMinSize(0).ofMaxSize(25);
    }

    @Provide
    Arbitrary<BidSpec> bids() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.longs().between(300, 1_300),
                Arbitraries.of(0, 0, 0, 500, 800),
                Arbitraries.of(Long.MAX_VALUE, Long.MAX_VALUE, 150L, 250L),
                Arbitraries.of(false, false, true)).as(BidSpec::new);
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        return Combinators.combine(Arbitraries.integers().between(0, 24), Arbitraries.integers().between(0, 3),
                Arbitraries.longs().between(0, 1_000)).as(Change::new).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<Instant> moments() {
        return Arbitraries.of(MONDAY_NOON, MONDAY_NOON.plusSeconds(6 * 24 * 3600));
    }

    @Property(tries = 2_000)
    void fastMatcherAgreesWithTheNaiveReference(@ForAll("books") List<AskSpec> specs, @ForAll("bids") BidSpec spec,
                                                @ForAll("changes") List<Change> changes,
                                                @ForAll("moments") Instant at) {
        OrderBook book = new OrderBook(ROYALTY);
        List<Ask> asks = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            AskSpec s = specs.get(i);
            AvailabilitySchedule schedule = s.weekdaysOnly()
                    ? new AvailabilitySchedule(List.of(new AvailabilitySchedule.Window(0, 5 * 24 * 60)))
                    : AvailabilitySchedule.ALWAYS;
            Ask ask = new Ask(new IslandId(String.format("island-%02d", i)), new AccountId("host"),
                    PricePerUnit.of(s.price()), ROYALTY, new IslandConditions(COUNTRIES.get(s.country()), s.slots(),
                    schedule, s.verified(), s.online(), s.rtt(), Karma.of(s.karma())));
            book.addAsk(ask);
            ask.usedSlots = Math.min(s.used(), s.slots());
            asks.add(ask);
        }
        for (Change change : changes) {
            if (asks.isEmpty()) {
                break;
            }
            Ask ask = asks.get(change.island() % asks.size());
            switch (change.kind()) {
                case 0 -> book.reprice(ask.islandId, PricePerUnit.of(100 + change.value()));
                case 1 -> book.update(ask.islandId, ask.conditions.withRtt(change.value() % 4 * 100));
                case 2 -> book.update(ask.islandId, ask.conditions.withKarma(Karma.of((int) change.value())));
                default -> {
                    book.withdraw(ask.islandId);
                    asks.remove(ask);
                }
            }
        }
        Bid bid = new Bid(new JobId("job"), new AccountId("consumer"), PricePerUnit.of(spec.limit()), 1,
                policy(spec.policy()), Karma.of(spec.minKarma()), spec.maxRtt(), spec.verifiedOnly(),
                MicroCredits.ZERO, at.plusSeconds(60), 0);

        Optional<IslandId> expected = naiveBest(asks, bid, at);
        Ask actual = book.bestAsk(bid, at);

        Statistics.collect(expected.isPresent() ? "placed" : "no eligible island");
        assertThat(Optional.ofNullable(actual).map(ask -> ask.islandId)).isEqualTo(expected);
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

    /** Straight from the rules, sharing no code with the matcher but the price rule. */
    private static Optional<IslandId> naiveBest(List<Ask> asks, Bid bid, Instant at) {
        return asks.stream()
                .filter(ask -> bid.jurisdiction().countries().contains(ask.conditions.country()))
                .filter(ask -> ask.conditions.online())
                .filter(ask -> ask.usedSlots < ask.conditions.slots())
                .filter(ask -> ask.conditions.schedule().isOpenAt(at))
                .filter(ask -> ask.conditions.karma().points() >= bid.minKarma().points())
                .filter(ask -> ask.conditions.rttMicros() <= bid.maxRttMicros())
                .filter(ask -> ask.conditions.verified() || !bid.verifiedOnly())
                .filter(ask -> Pricing.quote(ask.price, ROYALTY, ask.conditions.karma()).total().microCredits()
                        <= bid.limit().microCredits())
                .min(Comparator.<Ask>comparingLong(ask -> ask.conditions.rttMicros())
                        .thenComparing(Comparator.<Ask>comparingInt(ask -> ask.conditions.karma().points())
                                .reversed())
                        .thenComparingLong(ask -> ask.price.microCredits())
                        .thenComparing(ask -> ask.islandId.value()))
                .map(ask -> ask.islandId);
    }
}

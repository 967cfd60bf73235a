package io.archipelago.exchange.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ids.JobId;
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
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

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

    /** Books of up to 25 asks; the quotation properties draw theirs here too. */
    static Gen<List<AskSpec>> books() {
        Gen<AskSpec> ask = integers().between(0, COUNTRIES.size() - 1).zip(
                pick(List.of(100L, 200L, 300L, IslandConditions.RTT_UNKNOWN)),
                pick(List.of(100, 500, 700, 900)),
                longs().between(100, 1_000),
                integers().between(1, 3),
                (country, rtt, karma, price, slots) -> new AskSpec(country, rtt, karma, price, slots, 0, 0))
                .zip(integers().between(0, 3), integers().between(0, 11),
                        (spec, used, flags) -> new AskSpec(spec.country(), spec.rtt(), spec.karma(), spec.price(),
                                spec.slots(), used, flags));
        return lists().of(ask).ofSizeBetween(0, 25);
    }

    static Gen<BidSpec> bids() {
        return integers().between(0, 4).zip(
                longs().between(300, 1_300),
                pick(List.of(0, 0, 0, 500, 800)),
                pick(List.of(Long.MAX_VALUE, Long.MAX_VALUE, 150L, 250L)),
                pick(List.of(false, false, true)),
                BidSpec::new);
    }

    static Gen<List<Change>> changes() {
        return lists().of(integers().between(0, 24).zip(integers().between(0, 3), longs().between(0, 1_000),
                Change::new)).ofSizeBetween(0, 10);
    }

    static Gen<Instant> moments() {
        return pick(List.of(MONDAY_NOON, MONDAY_NOON.plusSeconds(6 * 24 * 3600)));
    }

    @Test
    void fastMatcherAgreesWithTheNaiveReference() {
        qt().withExamples(2_000).forAll(books(), bids(), changes(), moments())
                .checkAssert(MatcherProperties::fastMatcherAgreesWithTheNaiveReference);
    }

    private static void fastMatcherAgreesWithTheNaiveReference(List<AskSpec> specs, BidSpec spec,
                                                               List<Change> changes, Instant at) {
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

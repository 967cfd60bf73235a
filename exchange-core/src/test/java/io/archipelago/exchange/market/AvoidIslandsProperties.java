package io.archipelago.exchange.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.booleans;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Islands a bid avoids, against a reference written from the rule alone: of the Islands that can take the bid, the
 * best one it does not avoid, else the best one it avoids. So an avoided Island never takes a bid another eligible
 * Island could take, a bid is never left resting because of what it avoids, and no hard constraint is relaxed.
 */
class AvoidIslandsProperties {

    private static final List<Country> COUNTRIES = List.of(Country.of("DE"), Country.of("NL"), Country.of("CH"),
            Country.of("US"));
    private static final PricePerUnit ROYALTY = PricePerUnit.of(50);
    private static final Instant AT = Instant.parse("2026-01-05T12:00:00Z");

    /** An ask: offline when {@code online} is false, its slots all used when {@code full}. */
    record AskSpec(int country, long rtt, int karma, long price, boolean online, boolean full) {
    }

    static Gen<List<AskSpec>> books() {
        Gen<AskSpec> ask = integers().between(0, COUNTRIES.size() - 1).zip(
                pick(List.of(100L, 200L, 300L)),
                pick(List.of(100, 500, 900)),
                longs().between(100, 1_000),
                (country, rtt, karma, price) -> new AskSpec(country, rtt, karma, price, true, false))
                .zip(pick(List.of(true, true, false)), pick(List.of(false, false, true)),
                        (spec, online, full) -> new AskSpec(spec.country(), spec.rtt(), spec.karma(), spec.price(),
                                online, full));
        return lists().of(ask).ofSizeBetween(0, 12);
    }

    /** Up to twelve distinct indices of Islands to avoid. */
    static Gen<Set<Integer>> avoided() {
        return lists().of(integers().between(0, 11)).ofSizeBetween(0, 12).map(indices -> new TreeSet<>(indices));
    }

    @Test
    void anAvoidedIslandTakesABidOnlyWhenNoOtherEligibleIslandCan() {
        qt().withExamples(2_000).forAll(books(), avoided(), booleans().all())
                .checkAssert(AvoidIslandsProperties::anAvoidedIslandTakesABidOnlyWhenNoOtherEligibleIslandCan);
    }

    private static void anAvoidedIslandTakesABidOnlyWhenNoOtherEligibleIslandCan(List<AskSpec> specs,
                                                                                 Set<Integer> avoidedIndices,
                                                                                 boolean euOnly) {
        OrderBook book = new OrderBook(ROYALTY);
        List<Ask> asks = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            AskSpec s = specs.get(i);
            Ask ask = new Ask(island(i), new AccountId("host"), PricePerUnit.of(s.price()), ROYALTY,
                    new IslandConditions(COUNTRIES.get(s.country()), 1, AvailabilitySchedule.ALWAYS, false,
                            s.online(), s.rtt(), Karma.of(s.karma())));
            book.addAsk(ask);
            ask.usedSlots = s.full() ? 1 : 0;
            asks.add(ask);
        }
        Set<IslandId> avoid = new TreeSet<>();
        avoidedIndices.forEach(index -> avoid.add(island(index)));
        JurisdictionPolicy jurisdiction = euOnly ? JurisdictionPolicy.eu()
                : JurisdictionPolicy.countries(Set.copyOf(COUNTRIES));
        Bid bid = new Bid(new JobId("job"), new AccountId("consumer"), PricePerUnit.of(900), 1, jurisdiction,
                Karma.NONE, Long.MAX_VALUE, false, MicroCredits.ZERO, AT.plusSeconds(60), 0, avoid);

        List<Ask> eligible = asks.stream()
                .filter(ask -> jurisdiction.allows(ask.conditions.country()) && ask.canTake(bid, AT))
                .toList();
        Optional<Ask> preferred = eligible.stream().filter(ask -> !avoid.contains(ask.islandId)).min(Ask.RANK);
        Optional<IslandId> expected = preferred.or(() -> eligible.stream().min(Ask.RANK)).map(ask -> ask.islandId);
        Ask actual = book.bestAsk(bid, AT);

        assertThat(Optional.ofNullable(actual).map(ask -> ask.islandId)).isEqualTo(expected);
        if (actual != null && avoid.contains(actual.islandId)) {
            assertThat(eligible).allMatch(ask -> avoid.contains(ask.islandId));
        }
        assertThat(actual == null).isEqualTo(eligible.isEmpty());
    }

    private static IslandId island(int index) {
        return new IslandId(String.format("island-%02d", index));
    }
}

package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A market of 1,000 Islands over ten countries and a pool of mixed bids, drawn from a fixed seed so every run and
 * every matcher sees the same book. The shape is chosen to make matching work: most Islands are online and always
 * open but slots are few, a tenth sell on a weekly schedule that is closed at {@link #AT}, round-trip times and
 * karma spread wide, and bids combine region, EU, CH and explicit-country policies with karma floors, round-trip
 * ceilings, verified-only and limits from tight to generous.
 */
final class SyntheticMarket {

    static final int ISLANDS = 1_000;
    static final int BIDS = 8_192;
    /** A Wednesday, 03:00 UTC: outside the weekday business-hours windows of scheduled Islands. */
    static final Instant AT = Instant.parse("2026-01-07T03:00:00Z");
    static final PricePerUnit ROYALTY = PricePerUnit.of(20);

    static final List<Country> COUNTRIES = List.of("DE", "FR", "NL", "IT", "ES", "PL", "SE", "CH", "GB", "US")
            .stream().map(Country::of).toList();

    /** Monday to Friday, 08:00 to 20:00 UTC. */
    private static final AvailabilitySchedule BUSINESS_HOURS = new AvailabilitySchedule(
            IntStream.range(0, 5)
                    .mapToObj(day -> new AvailabilitySchedule.Window(day * 1440 + 480, day * 1440 + 1200))
                    .toList());

    private SyntheticMarket() {
    }

    static OrderBook book(long seed) {
        Random random = new Random(seed);
        OrderBook book = new OrderBook(ROYALTY);
        for (int i = 0; i < ISLANDS; i++) {
            Country country = COUNTRIES.get(i % COUNTRIES.size());
            int slots = 1 + random.nextInt(8);
            AvailabilitySchedule schedule = random.nextInt(10) == 0 ? BUSINESS_HOURS : AvailabilitySchedule.ALWAYS;
            boolean verified = random.nextInt(10) < 6;
            boolean online = random.nextInt(20) != 0;
            long rtt = random.nextInt(50) == 0 ? IslandConditions.RTT_UNKNOWN : 2_000 + random.nextInt(148_000);
            Karma karma = Karma.of(random.nextInt(Karma.MAX_POINTS + 1));
            PricePerUnit price = PricePerUnit.of(100 + random.nextInt(1_900));
            IslandConditions conditions = new IslandConditions(country, slots, schedule, verified, online, rtt,
                    karma);
            book.addAsk(new Ask(new IslandId(String.format("island-%04d", i)),
                    new AccountId(String.format("host-%04d", i)), price, ROYALTY, conditions));
        }
        return book;
    }

    static Bid[] bids(long seed) {
        Random random = new Random(seed);
        Bid[] bids = new Bid[BIDS];
        for (int i = 0; i < BIDS; i++) {
            JurisdictionPolicy jurisdiction = jurisdiction(random);
            Karma minKarma = random.nextInt(10) < 3 ? Karma.of(300 + random.nextInt(500)) : Karma.NONE;
            long maxRtt = random.nextInt(10) < 3 ? 20_000 + random.nextInt(80_000) : Long.MAX_VALUE;
            boolean verifiedOnly = random.nextInt(5) == 0;
            PricePerUnit limit = PricePerUnit.of(random.nextInt(4) == 0 ? 300 + random.nextInt(700)
                    : 1_000 + random.nextInt(4_000));
            long maxUnits = 1 + random.nextInt(4_000);
            bids[i] = new Bid(new JobId("job-" + i), new AccountId("consumer-" + (i % 97)), limit, maxUnits,
                    jurisdiction, minKarma, maxRtt, verifiedOnly, limit.times(maxUnits), AT.plusSeconds(600), i);
        }
        return bids;
    }

    private static JurisdictionPolicy jurisdiction(Random random) {
        int kind = random.nextInt(20);
        if (kind < 7) {
            return JurisdictionPolicy.regionOf(COUNTRIES.get(random.nextInt(COUNTRIES.size())));
        }
        if (kind < 12) {
            return JurisdictionPolicy.eu();
        }
        if (kind < 14) {
            return JurisdictionPolicy.ch();
        }
        Set<Country> countries = new HashSet<>();
        int size = 1 + random.nextInt(3);
        while (countries.size() < size) {
            countries.add(COUNTRIES.get(random.nextInt(COUNTRIES.size())));
        }
        return JurisdictionPolicy.countries(countries);
    }
}

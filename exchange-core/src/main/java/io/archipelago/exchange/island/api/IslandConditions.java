package io.archipelago.exchange.island.api;

import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.Karma;

/**
 * What a market knows of an Island to place jobs on it: where it runs, how many jobs it takes at once, when it
 * sells, whether its host is verified, whether it is online, its measured round-trip time in microseconds (a moving
 * average; {@code Long.MAX_VALUE} until first measured) and its karma.
 */
public record IslandConditions(Country country, int slots, AvailabilitySchedule schedule, boolean verified,
                               boolean online, long rttMicros, Karma karma) {

    public static final long RTT_UNKNOWN = Long.MAX_VALUE;

    public IslandConditions {
        if (slots < 1 || slots > 10_000) {
            throw new IllegalArgumentException("an island has 1 to 10000 concurrent slots, got " + slots);
        }
        if (rttMicros < 0) {
            throw new IllegalArgumentException("a round-trip time is never negative, got " + rttMicros);
        }
    }

    public IslandConditions withOnline(boolean online) {
        return new IslandConditions(country, slots, schedule, verified, online, rttMicros, karma);
    }

    public IslandConditions withRtt(long rttMicros) {
        return new IslandConditions(country, slots, schedule, verified, online, rttMicros, karma);
    }

    public IslandConditions withKarma(Karma karma) {
        return new IslandConditions(country, slots, schedule, verified, online, rttMicros, karma);
    }

    public IslandConditions withSchedule(AvailabilitySchedule schedule) {
        return new IslandConditions(country, slots, schedule, verified, online, rttMicros, karma);
    }

    public IslandConditions withVerified(boolean verified) {
        return new IslandConditions(country, slots, schedule, verified, online, rttMicros, karma);
    }
}

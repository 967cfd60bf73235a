package io.archipelago.exchange.karma;

import io.archipelago.exchange.ids.Karma;
import java.time.Duration;
import java.time.Instant;

/**
 * How karma moves. Every change starts from the decayed value: karma drifts towards {@link Karma#INITIAL} by
 * {@value #DECAY_POINTS_PER_DAY} points a day of inactivity, so old merit and old faults both fade. A completed job
 * earns up to {@value #MAX_SUCCESS_POINTS} points, less the slower its round trip and first token were; a failure
 * costs {@value #FAILURE_POINTS}; going offline costs {@value #OFFLINE_POINTS}.
 */
public final class KarmaPolicy {

    static final int MAX_SUCCESS_POINTS = 10;
    static final int FAILURE_POINTS = 40;
    static final int OFFLINE_POINTS = 15;
    static final int DECAY_POINTS_PER_DAY = 10;
    /** Round trip plus time to first token at which a success earns nothing beyond one point. */
    static final long SLOW_MICROS = 2_000_000;

    private KarmaPolicy() {
    }

    /** The karma after decay from {@code since} to {@code at}. */
    public static Karma decayed(Karma karma, Instant since, Instant at) {
        long days = Math.max(0, Duration.between(since, at).toDays());
        if (days == 0) {
            return karma;
        }
        long drift = Math.min(Math.multiplyExact(days, DECAY_POINTS_PER_DAY),
                Math.abs((long) karma.points() - Karma.INITIAL.points()));
        return karma.points() > Karma.INITIAL.points() ? karma.plus((int) -drift) : karma.plus((int) drift);
    }

    /** Karma after a completed job whose round trip took {@code rttMicros} and first token {@code ttftMicros}. */
    public static Karma afterSuccess(Karma karma, long rttMicros, long ttftMicros) {
        long latency = Math.max(0, rttMicros) + Math.max(0, ttftMicros);
        long points = latency >= SLOW_MICROS ? 1
                : 1 + (MAX_SUCCESS_POINTS - 1) * (SLOW_MICROS - latency) / SLOW_MICROS;
        return karma.plus((int) points);
    }

    public static Karma afterFailure(Karma karma) {
        return karma.plus(-FAILURE_POINTS);
    }

    public static Karma afterGoingOffline(Karma karma) {
        return karma.plus(-OFFLINE_POINTS);
    }
}

package io.archipelago.bridge;

import java.time.Duration;

/**
 * How the bridge paces itself.
 *
 * @param probeInterval  how often every Island is probed for round-trip time and liveness
 * @param probeTimeout   how long a probe waits for its answer before it counts as missed
 * @param missedProbes   how many probes in a row an online Island may miss before it is taken offline
 * @param acceptTimeout  how long a dispatched job waits for its Island to accept it
 * @param stallTimeout   how long a job may go without output (or a finished job without its missing chunks)
 * @param jobDeadline    how long a job may run in all, from placement to its final message
 * @param streamRetention how long a finished job's output stays available to late subscribers
 * @param tick           how often deadlines are checked
 */
public record BridgeSettings(Duration probeInterval, Duration probeTimeout, int missedProbes, Duration acceptTimeout,
                             Duration stallTimeout, Duration jobDeadline, Duration streamRetention, Duration tick) {

    public BridgeSettings {
        if (missedProbes < 1) {
            throw new IllegalArgumentException("an Island misses at least one probe before going offline");
        }
        for (Duration duration : new Duration[] {probeInterval, probeTimeout, acceptTimeout, stallTimeout,
                jobDeadline, streamRetention, tick}) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("bridge durations are positive, got " + duration);
            }
        }
    }

    /** Probes every 2 s, offline after 3 misses, 15 s without output is a stall, 10 minutes per job at most. */
    public static BridgeSettings defaults() {
        return new BridgeSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Duration.ofSeconds(3),
                Duration.ofSeconds(15), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMillis(100));
    }
}

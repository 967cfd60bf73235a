package io.archipelago.bridge;

/**
 * What the bridge measured of one Island: the moving average and jitter of its probe round trips in microseconds,
 * how many probes answered, and how many in a row went unanswered.
 */
public record IslandRtt(String islandId, long meanMicros, long jitterMicros, long samples, int missedInARow) {
}

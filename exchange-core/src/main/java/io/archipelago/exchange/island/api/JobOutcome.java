package io.archipelago.exchange.island.api;

/**
 * How a job ended on an Island, for its karma: success with the round-trip time it was placed at and its time to
 * first token, both in microseconds, or failure.
 */
public record JobOutcome(boolean succeeded, long rttMicros, long ttftMicros) {

    public static JobOutcome success(long rttMicros, long ttftMicros) {
        return new JobOutcome(true, rttMicros, ttftMicros);
    }

    public static JobOutcome failure() {
        return new JobOutcome(false, 0, 0);
    }
}

package io.archipelago.projections.history;

import java.time.Instant;

/**
 * The trades of one market in one bucket: first, highest, lowest and last price per unit in micro-credits (the
 * Islands' asks), units traded and number of trades.
 */
public record Candle(String cargo, String resolution, Instant start, long open, long high, long low, long close,
                     long volumeUnits, long trades) {
}

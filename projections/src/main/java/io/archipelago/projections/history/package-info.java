/**
 * Market history for analysts: OHLCV candles of trade prices, usage per Cargo and publisher, order book depth.
 */
@NullMarked
package io.archipelago.projections.history;

import org.jspecify.annotations.NullMarked;

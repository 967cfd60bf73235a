/**
 * The analysts' endpoints: market history as candles, order book depth, Islands and their karma, payouts and usage,
 * each paginated and filtered by time range.
 */
@NullMarked
package io.archipelago.query.history;

import org.jspecify.annotations.NullMarked;

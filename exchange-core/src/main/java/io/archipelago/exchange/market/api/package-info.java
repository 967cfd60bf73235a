/**
 * Commands, events and value types of markets, asks, bids and jobs.
 */
@NullMarked
package io.archipelago.exchange.market.api;

import org.jspecify.annotations.NullMarked;

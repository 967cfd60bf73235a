/**
 * The market read model: per Cargo type, its asks, resting bids, best prices, last rate and volume.
 */
@NullMarked
package io.archipelago.projections.market;

import org.jspecify.annotations.NullMarked;

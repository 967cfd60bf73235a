/**
 * Market endpoints: Cargo registration, asks, bids (group-committed by the
 * {@link io.archipelago.command.market.BidBatcher}), job ends and operator clearing.
 */
@NullMarked
package io.archipelago.command.market;

import org.jspecify.annotations.NullMarked;

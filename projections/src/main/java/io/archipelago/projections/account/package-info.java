/**
 * The balance read model: each account's available credits, escrow, earnings and payouts in flight.
 */
@NullMarked
package io.archipelago.projections.account;

import org.jspecify.annotations.NullMarked;

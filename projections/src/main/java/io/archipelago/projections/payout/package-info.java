/**
 * The payout read model: every payout from its request to its end.
 */
@NullMarked
package io.archipelago.projections.payout;

import org.jspecify.annotations.NullMarked;

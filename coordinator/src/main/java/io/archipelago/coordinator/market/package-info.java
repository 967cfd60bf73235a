/** Housekeeping the markets need from the coordinator's clock: expiring bids whose time to live ran out. */
@NullMarked
package io.archipelago.coordinator.market;

import org.jspecify.annotations.NullMarked;

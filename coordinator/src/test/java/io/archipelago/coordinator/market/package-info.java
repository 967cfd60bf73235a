/** Tests of the markets' housekeeping on a whole coordinator. */
@NullMarked
package io.archipelago.coordinator.market;

import org.jspecify.annotations.NullMarked;

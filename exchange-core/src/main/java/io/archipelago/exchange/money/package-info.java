/**
 * Money: integer micro-credits and prices per unit of a Cargo type; never floating point.
 */
@NullMarked
package io.archipelago.exchange.money;

import org.jspecify.annotations.NullMarked;

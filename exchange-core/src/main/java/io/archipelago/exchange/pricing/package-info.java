/**
 * The pure pricing rule: what an Island earns and what a consumer pays per unit.
 */
@NullMarked
package io.archipelago.exchange.pricing;

import org.jspecify.annotations.NullMarked;

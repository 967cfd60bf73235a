/**
 * The Market aggregate per Cargo type and the pure order book, matcher and rate clearing it delegates to.
 */
@NullMarked
package io.archipelago.exchange.market;

import org.jspecify.annotations.NullMarked;

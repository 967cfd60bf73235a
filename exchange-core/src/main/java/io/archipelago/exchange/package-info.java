/**
 * The exchange: islands, markets per Cargo type, consumer and host accounts, and the pure rules that place, price
 * and settle jobs.
 */
@NullMarked
package io.archipelago.exchange;

import org.jspecify.annotations.NullMarked;

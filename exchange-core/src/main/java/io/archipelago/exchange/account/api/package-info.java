/**
 * Commands, events and value types of accounts, deposits, escrow and payouts.
 */
@NullMarked
package io.archipelago.exchange.account.api;

import org.jspecify.annotations.NullMarked;

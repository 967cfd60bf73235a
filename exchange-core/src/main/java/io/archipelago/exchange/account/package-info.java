/**
 * The Account aggregate: a consumer's, host's, publisher's or the platform's balances, and the escrow port.
 */
@NullMarked
package io.archipelago.exchange.account;

import org.jspecify.annotations.NullMarked;

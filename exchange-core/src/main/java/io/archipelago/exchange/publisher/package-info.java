/**
 * The Publisher aggregate: an account's publisher profile, its registered signing key and its tier.
 */
@NullMarked
package io.archipelago.exchange.publisher;

import org.jspecify.annotations.NullMarked;

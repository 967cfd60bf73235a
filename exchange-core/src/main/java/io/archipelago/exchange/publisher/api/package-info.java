/**
 * Publishers of Cargo versions: their commands, events, tiers, and the ports markets and publishers use (who holds
 * which signing key, and the check of a signature against it).
 */
@NullMarked
package io.archipelago.exchange.publisher.api;

import org.jspecify.annotations.NullMarked;

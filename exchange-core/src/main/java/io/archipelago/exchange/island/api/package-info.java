/**
 * Commands, events and value types of Islands.
 */
@NullMarked
package io.archipelago.exchange.island.api;

import org.jspecify.annotations.NullMarked;

/**
 * The Island aggregate: a host's machine, its jurisdiction, schedule, online state, measured RTT and karma.
 */
@NullMarked
package io.archipelago.exchange.island;

import org.jspecify.annotations.NullMarked;

/**
 * The public face of rollouts: their commands, events and values.
 */
@NullMarked
package io.archipelago.exchange.rollout.api;

import org.jspecify.annotations.NullMarked;

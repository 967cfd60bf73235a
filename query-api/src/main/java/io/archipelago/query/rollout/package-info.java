/**
 * Rollouts as the read side knows them: variants, weights, tallies and decisions.
 */
@NullMarked
package io.archipelago.query.rollout;

import org.jspecify.annotations.NullMarked;

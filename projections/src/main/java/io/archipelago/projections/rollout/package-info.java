/**
 * The read model of rollouts: their variants' weights and tallies, and every decision with its statistics.
 */
@NullMarked
package io.archipelago.projections.rollout;

import org.jspecify.annotations.NullMarked;

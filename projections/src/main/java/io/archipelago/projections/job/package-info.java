/**
 * The job read model: every job from its bid to its end, with its price, units and charge.
 */
@NullMarked
package io.archipelago.projections.job;

import org.jspecify.annotations.NullMarked;

/**
 * The exchange's metrics from its events: placements, rejections, settlement volume, latencies, processor lag.
 */
@NullMarked
package io.archipelago.projections.metrics;

import org.jspecify.annotations.NullMarked;

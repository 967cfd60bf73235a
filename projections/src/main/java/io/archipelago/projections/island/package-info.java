/**
 * The Island read models: each Island's jurisdiction, karma, round-trip time and uptime, and its karma history.
 */
@NullMarked
package io.archipelago.projections.island;

import org.jspecify.annotations.NullMarked;

/**
 * The batch read model: each batch with its items' outcomes, and its progress events in order.
 */
@NullMarked
package io.archipelago.projections.batch;

import org.jspecify.annotations.NullMarked;

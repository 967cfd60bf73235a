/**
 * The rebuild of the read models from scratch: their processor reset to the first event, their tables emptied, every
 * event replayed.
 */
@NullMarked
package io.archipelago.projections.rebuild;

import org.jspecify.annotations.NullMarked;

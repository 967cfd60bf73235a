/**
 * The rebuild of the read models from the first event into fresh tables, swapped in for the live ones at once.
 */
@NullMarked
package io.archipelago.projections.rebuild;

import org.jspecify.annotations.NullMarked;

/**
 * Dead letters of the read models: events a projection failed on, parked per aggregate until retried.
 */
@NullMarked
package io.archipelago.projections.deadletter;

import org.jspecify.annotations.NullMarked;

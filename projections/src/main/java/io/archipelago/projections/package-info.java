/**
 * Read models in PostgreSQL built from the event store by one pooled streaming processor, and the queries over them.
 */
@NullMarked
package io.archipelago.projections;

import org.jspecify.annotations.NullMarked;

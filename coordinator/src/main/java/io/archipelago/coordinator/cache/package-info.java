/**
 * The inference cache: answers of completed chat jobs kept per account in PostgreSQL and served again, free, to the
 * same request; its limits, sweep, statistics and the consumer's routes to delete its entries.
 */
@NullMarked
package io.archipelago.coordinator.cache;

import org.jspecify.annotations.NullMarked;

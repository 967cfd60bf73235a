package io.archipelago.projections;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a projection whose handlers write only through {@link ReadModelWrites} (no direct statement, no read of a table
 * in a handler): while replaying, its handlers' writes are batched per unit of work, and no savepoint is taken around
 * each of them, since a handler then sends nothing to the database.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WritesInBatches {
}

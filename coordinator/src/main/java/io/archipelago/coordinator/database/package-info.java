/**
 * The PostgreSQL the coordinator keeps everything in: an embedded server on a persistent data directory by default,
 * or an external one named by {@code DATABASE_URL}.
 */
@NullMarked
package io.archipelago.coordinator.database;

import org.jspecify.annotations.NullMarked;

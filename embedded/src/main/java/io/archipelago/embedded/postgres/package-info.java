/**
 * The embedded default for PostgreSQL: a real server on a persistent data directory, started when
 * {@code DATABASE_URL} is not set, that logs in by password only and refuses a port or a directory another process
 * holds.
 */
@NullMarked
package io.archipelago.embedded.postgres;

import org.jspecify.annotations.NullMarked;

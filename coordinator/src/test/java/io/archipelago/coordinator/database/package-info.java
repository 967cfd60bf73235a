/**
 * Tests of where the coordinator's PostgreSQL comes from: DATABASE_URL parsing and the embedded server's lifecycle.
 */
@NullMarked
package io.archipelago.coordinator.database;

import org.jspecify.annotations.NullMarked;

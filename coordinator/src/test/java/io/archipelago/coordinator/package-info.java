/**
 * Tests of the assembled coordinator on a real embedded PostgreSQL, and the support that starts it.
 */
@NullMarked
package io.archipelago.coordinator;

import org.jspecify.annotations.NullMarked;

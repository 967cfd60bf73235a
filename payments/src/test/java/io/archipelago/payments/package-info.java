/**
 * Tests of the payments module: the real stripe-java client against a WireMock stub of Stripe's HTTP API, real
 * exchange aggregates on Axon's in-memory event store, and the module's tables on an embedded PostgreSQL.
 */
@NullMarked
package io.archipelago.payments;

import org.jspecify.annotations.NullMarked;

/**
 * End-to-end tests of payments in the whole coordinator: embedded PostgreSQL, Axon on JDBC, the HTTP server, and the
 * real stripe-java client against a WireMock stub of Stripe's API.
 */
@NullMarked
package io.archipelago.coordinator.payments;

import org.jspecify.annotations.NullMarked;

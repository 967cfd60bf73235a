/**
 * Axon wiring without Axon Server: JSON serialization, the JDBC event, token, saga and dead-letter stores, the three
 * aggregates with their caches and ports, and the command gateway with its retry policy.
 */
@NullMarked
package io.archipelago.coordinator.axon;

import org.jspecify.annotations.NullMarked;

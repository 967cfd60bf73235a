/**
 * Tests of the Axon wiring: JSON round trips of every message, and optimistic locking between coordinator nodes.
 */
@NullMarked
package io.archipelago.coordinator.axon;

import org.jspecify.annotations.NullMarked;

/**
 * Wires the island bridge into the coordinator: NATS (a local nats-server, or {@code NATS_URL}), the bridge's event
 * processor, the cluster of coordinator nodes in PostgreSQL, the Islands' session endpoint, and the demo Islands of
 * the embedded default.
 */
@NullMarked
package io.archipelago.coordinator.bridge;

import org.jspecify.annotations.NullMarked;

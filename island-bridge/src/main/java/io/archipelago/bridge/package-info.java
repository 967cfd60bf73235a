/**
 * The NATS side of the coordinator: dispatches placed jobs to their Islands, turns their output into market commands
 * and in-process streams, and probes every Island for round-trip time and heartbeats; with several coordinator nodes,
 * each placement is dispatched by one of them and its output relayed to the node holding the client.
 */
@NullMarked
package io.archipelago.bridge;

import org.jspecify.annotations.NullMarked;

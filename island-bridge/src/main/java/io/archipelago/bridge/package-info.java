/**
 * The NATS side of the coordinator: dispatches placed jobs to their Islands, turns their output into market commands
 * and in-process streams, and probes every Island for round-trip time and heartbeats.
 */
@NullMarked
package io.archipelago.bridge;

import org.jspecify.annotations.NullMarked;

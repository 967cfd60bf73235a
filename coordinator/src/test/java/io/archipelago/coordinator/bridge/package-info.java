/**
 * The island bridge in a running coordinator: real PostgreSQL, real nats-server, real island agents over HTTP.
 */
@NullMarked
package io.archipelago.coordinator.bridge;

import org.jspecify.annotations.NullMarked;

/**
 * The NATS server the Islands connect to: a local {@code nats-server} process for the embedded default, and the
 * per-Island NKey users and subject permissions that confine each Island to its own subjects.
 */
@NullMarked
package io.archipelago.bridge.nats;

import org.jspecify.annotations.NullMarked;

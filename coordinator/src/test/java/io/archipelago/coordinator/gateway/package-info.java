/**
 * Load drivers for the OpenAI-compatible door of a running coordinator: time to first token against the Island's
 * own stream, and how many streams one coordinator holds; and what a coordinator in a JVM of its own keeps when it is
 * killed with SIGKILL.
 */
@NullMarked
package io.archipelago.coordinator.gateway;

import org.jspecify.annotations.NullMarked;

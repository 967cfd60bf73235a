/**
 * Load drivers for the OpenAI-compatible door of a running coordinator: time to first token against the Island's
 * own stream, and how many streams one coordinator holds.
 */
@NullMarked
package io.archipelago.coordinator.gateway;

import org.jspecify.annotations.NullMarked;

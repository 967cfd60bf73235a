/** The OpenAI-compatible door in a running coordinator, spoken to by the official openai client. */
@NullMarked
package io.archipelago.coordinator.openai;

import org.jspecify.annotations.NullMarked;

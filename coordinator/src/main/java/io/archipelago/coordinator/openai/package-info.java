/** The OpenAI-compatible door of the exchange: chat completions and models under {@code /v1}, behind API keys. */
@NullMarked
package io.archipelago.coordinator.openai;

import org.jspecify.annotations.NullMarked;

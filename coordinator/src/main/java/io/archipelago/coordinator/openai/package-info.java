/**
 * The consumer's door of the exchange: OpenAI's chat completions, embeddings and models under {@code /v1} (over SSE
 * and WebSocket), quotes, batches and the bid terms every consumer request resolves, each request placed as a job
 * of the key's account.
 */
@NullMarked
package io.archipelago.coordinator.openai;

import org.jspecify.annotations.NullMarked;

/** The inference cache in a running coordinator, spoken to by the official openai client. */
@NullMarked
package io.archipelago.coordinator.cache;

import org.jspecify.annotations.NullMarked;

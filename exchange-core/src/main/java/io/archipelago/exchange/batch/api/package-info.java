/**
 * Commands, events and value types of batches: what was submitted, each attempt of each item and how it ended.
 */
@NullMarked
package io.archipelago.exchange.batch.api;

import org.jspecify.annotations.NullMarked;

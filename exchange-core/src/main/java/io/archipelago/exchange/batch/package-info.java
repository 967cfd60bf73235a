/**
 * The Batch aggregate: many inputs on one Cargo, each placed as a job of its own, its outcomes and retries as events.
 */
@NullMarked
package io.archipelago.exchange.batch;

import org.jspecify.annotations.NullMarked;

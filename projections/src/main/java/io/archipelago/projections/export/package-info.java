/**
 * The Kafka export: every event of the store, in order per aggregate, to one topic for analysts.
 */
@NullMarked
package io.archipelago.projections.export;

import org.jspecify.annotations.NullMarked;

/**
 * Rollout endpoints: starting a rollout of a model name across Cargo types, and consumers' feedback on its jobs.
 */
@NullMarked
package io.archipelago.command.rollout;

import org.jspecify.annotations.NullMarked;

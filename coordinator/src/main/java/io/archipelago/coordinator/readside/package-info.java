/**
 * The coordinator's read-side commands: the auditor's replay of the whole event store and the rebuild of the read
 * models, each one command on the coordinator's jar.
 */
@NullMarked
package io.archipelago.coordinator.readside;

import org.jspecify.annotations.NullMarked;

/**
 * Cargo signatures as the domain checks them (the protocol's cosign code behind exchange-core's port), and the tier
 * moves publishers earn from the record (a yank for cause).
 */
@NullMarked
package io.archipelago.coordinator.cargo;

import org.jspecify.annotations.NullMarked;

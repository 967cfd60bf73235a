/** Cargo signatures as the domain checks them: the protocol's cosign code behind exchange-core's port. */
@NullMarked
package io.archipelago.coordinator.cargo;

import org.jspecify.annotations.NullMarked;

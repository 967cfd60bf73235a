/** The publishing side of the Cargo marketplace: publisher profiles, signed versions, deprecation and yanks. */
@NullMarked
package io.archipelago.command.cargo;

import org.jspecify.annotations.NullMarked;

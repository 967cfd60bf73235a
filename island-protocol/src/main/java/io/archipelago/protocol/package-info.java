/**
 * The versioned JSON messages and NATS subjects the coordinator's island bridge and the island agents exchange.
 */
@NullMarked
package io.archipelago.protocol;

import org.jspecify.annotations.NullMarked;

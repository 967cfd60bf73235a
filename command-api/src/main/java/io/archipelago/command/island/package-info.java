/**
 * Island endpoints: registration, verification, online state and measured round-trip time.
 */
@NullMarked
package io.archipelago.command.island;

import org.jspecify.annotations.NullMarked;

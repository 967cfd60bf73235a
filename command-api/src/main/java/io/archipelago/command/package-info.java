/**
 * The write side over HTTP: exchange commands as validated JSON endpoints, wired into the coordinator by
 * auto-configuration.
 */
@NullMarked
package io.archipelago.command;

import org.jspecify.annotations.NullMarked;

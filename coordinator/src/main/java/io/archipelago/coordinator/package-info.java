/**
 * The coordinator application: assembles the exchange with its storage, messaging and HTTP modules.
 */
@NullMarked
package io.archipelago.coordinator;

import org.jspecify.annotations.NullMarked;

/**
 * Karma values and the event that records every change with its reason.
 */
@NullMarked
package io.archipelago.exchange.karma.api;

import org.jspecify.annotations.NullMarked;

/**
 * The market endpoints.
 */
@NullMarked
package io.archipelago.query.market;

import org.jspecify.annotations.NullMarked;

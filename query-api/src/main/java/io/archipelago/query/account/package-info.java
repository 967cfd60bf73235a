/**
 * The balance endpoint.
 */
@NullMarked
package io.archipelago.query.account;

import org.jspecify.annotations.NullMarked;

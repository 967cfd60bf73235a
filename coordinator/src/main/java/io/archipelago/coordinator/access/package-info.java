/**
 * Who may call what: every request is authenticated by the operator token or an account's API key, authorised by a
 * route table, limited per key in rate and body size.
 */
@NullMarked
package io.archipelago.coordinator.access;

import org.jspecify.annotations.NullMarked;

/**
 * Who may call what: every request is authenticated by the operator token or an account's API key, authorised by a
 * route table, limited per key in rate and body size; a retried POST that creates work is answered once per
 * {@code Idempotency-Key}.
 */
@NullMarked
package io.archipelago.coordinator.access;

import org.jspecify.annotations.NullMarked;

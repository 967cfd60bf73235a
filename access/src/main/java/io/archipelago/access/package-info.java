/**
 * Who may call what: every request is authenticated by the operator token or an account's API key, authorised by a
 * route table, limited per key in rate and body size; a retried POST that creates work is answered once per
 * {@code Idempotency-Key}. The module depends on nothing of the exchange but its ids; the write side answers its
 * questions about accounts and Islands through the {@link io.archipelago.access.Registry} port.
 *
 * <p>Its tables ({@code api_key}, {@code job_claim}, {@code idempotency_key}) are created by the coordinator's Flyway
 * migrations {@code V1_50}, {@code V1_53} and {@code V1_56} in {@code db/migration/axon}: they were applied before
 * this module existed, and an applied migration is never renumbered or moved.
 */
@NullMarked
package io.archipelago.access;

import org.jspecify.annotations.NullMarked;

/**
 * The read side against a real coordinator, PostgreSQL and Kafka broker: export, hash chain, audit, rebuild and
 * dead letters.
 */
@NullMarked
package io.archipelago.coordinator.readside;

import org.jspecify.annotations.NullMarked;

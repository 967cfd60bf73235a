/**
 * The embedded default for Kafka: an in-process KRaft broker, started when {@code KAFKA_BOOTSTRAP} is not set.
 */
@NullMarked
package io.archipelago.embedded.kafka;

import org.jspecify.annotations.NullMarked;

/**
 * The embedded default for NATS: the machine's {@code nats-server} as a child process on localhost, started when
 * {@code NATS_URL} is not set; who may log in is its caller's to say.
 */
@NullMarked
package io.archipelago.embedded.nats;

import org.jspecify.annotations.NullMarked;

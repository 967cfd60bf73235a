package io.archipelago.protocol;

/** The coordinator's round-trip probe and heartbeat; the Island echoes {@code nonce} in its {@link ProbeReply}. */
public record Probe(int v, long nonce) implements Message {
}

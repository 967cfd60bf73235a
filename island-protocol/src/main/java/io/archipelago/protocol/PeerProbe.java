package io.archipelago.protocol;

/**
 * The coordinator asks an Island to measure its round trip to another Island, {@code peer}, over NATS: the Island
 * sends {@code samples} pings on {@link Subjects#peerPing} and times each echo, then answers {@link PeerProbeReply}.
 * A pipeline's planner uses the result as the RTT of a hop between the two.
 */
public record PeerProbe(int v, String peer, int samples) implements Message {

    /** The most pings one probe sends. */
    public static final int MAX_SAMPLES = 100;

    public PeerProbe {
        Ids.id("an island id", peer);
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("a peer probe sends 1 to " + MAX_SAMPLES + " pings, got " + samples);
        }
    }
}

package io.archipelago.protocol;

/**
 * An Island's answer to a {@link PeerProbe}: the median round trip in microseconds to {@code peer} over the
 * {@code samples} pings that came back (zero of them: the peer did not answer, and {@code rttMicros} is 0).
 */
public record PeerProbeReply(int v, String islandId, String peer, long rttMicros, int samples) implements Message {

    public PeerProbeReply {
        Ids.id("an island id", islandId);
        Ids.id("an island id", peer);
        if (rttMicros < 0 || samples < 0 || samples > PeerProbe.MAX_SAMPLES) {
            throw new IllegalArgumentException("a peer probe's round trip and samples are never negative, got "
                    + rttMicros + " and " + samples);
        }
    }
}

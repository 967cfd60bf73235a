package io.archipelago.protocol;

/** A message of the island protocol; {@code v} is the protocol version it was written in. */
public sealed interface Message permits JobOffer, JobAccepted, JobOutput, Probe, ProbeReply, JobCancel,
        PeerProbe, PeerProbeReply {

    /** The protocol version the message was written in; {@link Codec#VERSION} is the only one read. */
    int v();
}

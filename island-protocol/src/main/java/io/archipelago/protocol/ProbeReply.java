package io.archipelago.protocol;

/** An Island's answer to a {@link Probe}: who answers, the probe's nonce, and how many jobs it is running. */
public record ProbeReply(int v, String islandId, long nonce, int runningJobs) implements Message {

    public ProbeReply {
        Ids.id("an island id", islandId);
        if (runningJobs < 0) {
            throw new IllegalArgumentException("running jobs are never negative, got " + runningJobs);
        }
    }
}

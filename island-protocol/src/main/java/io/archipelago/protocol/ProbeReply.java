package io.archipelago.protocol;

import org.jspecify.annotations.Nullable;

/**
 * An Island's answer to a {@link Probe}: who answers, the probe's nonce, how many jobs it is running and, optionally,
 * the memory in MiB it can give a job now ({@code memoryMib}; null: not reported, and the Island is offered no
 * pipeline stage).
 */
public record ProbeReply(int v, String islandId, long nonce, int runningJobs, @Nullable Long memoryMib)
        implements Message {

    /** The most memory an Island may report, in MiB: 4 TiB, as a pipeline stage may need at most. */
    public static final long MAX_MEMORY_MIB = 4_194_304;

    public ProbeReply {
        Ids.id("an island id", islandId);
        if (runningJobs < 0) {
            throw new IllegalArgumentException("running jobs are never negative, got " + runningJobs);
        }
        if (memoryMib != null && (memoryMib < 0 || memoryMib > MAX_MEMORY_MIB)) {
            throw new IllegalArgumentException("an Island reports 0-" + MAX_MEMORY_MIB + " MiB of memory, got "
                    + memoryMib);
        }
    }

    /** An answer that reports no memory. */
    public ProbeReply(int v, String islandId, long nonce, int runningJobs) {
        this(v, islandId, nonce, runningJobs, null);
    }
}

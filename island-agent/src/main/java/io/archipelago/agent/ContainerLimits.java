package io.archipelago.agent;

/**
 * What one container Cargo may use, enforced by the kernel's cgroups through runc.
 *
 * @param memoryBytes the memory the container's processes may hold together (its tmpfs included), in bytes
 * @param pids        how many processes and threads it may have at once
 * @param cpuMillis   CPU time per wall-clock second, in thousandths of a core (1000: one core)
 * @param tmpBytes    the size of its one writable directory, {@code /tmp}, a tmpfs
 */
record ContainerLimits(long memoryBytes, long pids, long cpuMillis, long tmpBytes) {

    /** 256 MiB, 64 processes, one core, 16 MiB of /tmp. */
    static final ContainerLimits DEFAULT = new ContainerLimits(256L << 20, 64, 1000, 16L << 20);

    ContainerLimits {
        if (memoryBytes < (8L << 20) || pids < 1 || cpuMillis < 10 || tmpBytes < 0 || tmpBytes > memoryBytes) {
            throw new IllegalArgumentException("container limits out of range: " + memoryBytes + " B, " + pids
                    + " pids, " + cpuMillis + " millicores, " + tmpBytes + " B of /tmp");
        }
    }
}

package io.archipelago.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where the CPU went during a phase: this JVM, the PostgreSQL server's processes, and the whole machine, read from
 * {@code /proc} in clock ticks of 10 ms (Linux's USER_HZ on every architecture the project runs on); and the JVM's
 * garbage collections.
 */
final class CpuMeter {

    private static final double TICK_SECONDS = 0.01;

    private final long postmaster;

    private CpuMeter(long postmaster) {
        this.postmaster = postmaster;
    }

    /** A meter for the server whose data directory is {@code pgData} (its first line of postmaster.pid is the pid). */
    static CpuMeter of(Path pgData) {
        try {
            return new CpuMeter(Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server's pid from " + pgData, e);
        }
    }

    record Sample(long nanos, long jvmTicks, long postgresTicks, long machineBusyTicks, long machineTotalTicks,
                  long gcCount, long gcMillis) {
    }

    /** CPU used between two samples, in cores (1.0 = one core busy the whole time), and the JVM's collections. */
    record Usage(double jvmCores, double postgresCores, double machineCores, int machineCoresAvailable, long gcCount,
                 long gcMillis) {
        @Override
        public String toString() {
            return String.format("coordinator JVM %.2f cores, PostgreSQL %.2f cores, whole machine %.2f of %d cores; "
                    + "%d garbage collections, %d ms", jvmCores, postgresCores, machineCores, machineCoresAvailable,
                    gcCount, gcMillis);
        }
    }

    Sample sample() {
        long[] machine = machine();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, collector.getCollectionCount());
            gcMillis += Math.max(0, collector.getCollectionTime());
        }
        return new Sample(System.nanoTime(), ticksOf(ProcessHandle.current().pid()), postgresTicks(), machine[0],
                machine[1], gcCount, gcMillis);
    }

    static Usage between(Sample from, Sample to) {
        double seconds = (to.nanos - from.nanos) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        double machineShare = (double) (to.machineBusyTicks - from.machineBusyTicks)
                / Math.max(1, to.machineTotalTicks - from.machineTotalTicks);
        return new Usage((to.jvmTicks - from.jvmTicks) * TICK_SECONDS / seconds,
                (to.postgresTicks - from.postgresTicks) * TICK_SECONDS / seconds, machineShare * cores, cores,
                to.gcCount - from.gcCount, to.gcMillis - from.gcMillis);
    }

    private long postgresTicks() {
        long ticks = ticksOf(postmaster);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(path -> path.getFileName().toString().matches("\\d+")).toList()) {
                String[] fields = statFields(process);
                if (fields != null && Long.parseLong(fields[1]) == postmaster) {
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks;
    }

    private static long ticksOf(long pid) {
        String[] fields = statFields(Path.of("/proc", Long.toString(pid)));
        return fields == null ? 0 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The fields of /proc/PID/stat after the command name: state, ppid, ..., utime at 11, stime at 12. */
    private static String @Nullable [] statFields(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException vanished) {
            return null;
        }
    }

    /** Busy and total ticks of all cores from the first line of /proc/stat. */
    private static long[] machine() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] fields = lines.get(0).trim().split("\\s+");
            long total = 0;
            // user, nice, system, idle, iowait, irq, softirq, steal; guest time is already inside user
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.archipelago.agent;

import io.archipelago.protocol.ProbeReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The memory in MiB an Island offers pipeline stages when its host names none: the agent's heap limit, since the
 * stages it runs keep their weights on its heap, no more than the machine holds ({@code MemTotal} of
 * {@code /proc/meminfo}, where there is one). A capacity, not what is free at the moment, so that it reads the same
 * from one probe to the next and the exchange records it once.
 */
final class OfferedMemory {

    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private OfferedMemory() {
    }

    static long mib() {
        long heap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        OptionalLong machine = machineMib(MEMINFO);
        long offered = machine.isPresent() ? Math.min(heap, machine.getAsLong()) : heap;
        return Math.max(0, Math.min(offered, ProbeReply.MAX_MEMORY_MIB));
    }

    /** {@code MemTotal} of a {@code /proc/meminfo}-shaped file in MiB; empty when it is unreadable or has none. */
    static OptionalLong machineMib(Path meminfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(meminfo, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
        for (String line : lines) {
            if (line.startsWith("MemTotal:")) {
                String[] fields = line.substring("MemTotal:".length()).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(fields[0]) / 1024);
                } catch (NumberFormatException garbled) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}

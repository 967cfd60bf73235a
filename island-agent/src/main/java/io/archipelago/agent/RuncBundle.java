package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The runc bundle of one container run: the image's root filesystem as umoci unpacked it, and a {@code config.json}
 * written here from nothing but the image's command, environment and working directory. Everything else is this
 * Island's policy: a read-only root, a fresh user (root inside maps to an unprivileged id outside), mount, pid,
 * ipc, uts, cgroup and network namespace (only a loopback interface), no capabilities, no new privileges, the
 * {@link SeccompProfile}, the {@link ContainerLimits}, and no path of the host mounted: only a fresh /proc, a
 * tmpfs /dev with no device but what runc creates (null, zero, full, random, urandom, tty) and a small tmpfs /tmp.
 */
final class RuncBundle {

    /** Root inside the container is this id on the host, with {@link #ID_RANGE} ids above it. */
    static final long HOST_ID = 1_000_000;
    static final long ID_RANGE = 65_536;
    private static final String MEMSW = "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes";

    private RuncBundle() {
    }

    /** The {@code --uid-map}/{@code --gid-map} value umoci unpacks with, so the image's owners map inside. */
    static String idMap() {
        return "0:" + HOST_ID + ":" + ID_RANGE;
    }

    /**
     * Replaces the {@code config.json} umoci wrote in {@code bundle} with this Island's, keeping the image's
     * process arguments, environment, working directory and user, and makes the mount points the root needs.
     */
    static void write(Path bundle, String containerId, ContainerLimits limits) throws IOException {
        JsonNode image = Codec.json().readTree(bundle.resolve("config.json").toFile()).path("process");
        ObjectNode config = Codec.json().createObjectNode().put("ociVersion", "1.0.2-dev").put("hostname", "cargo");
        ObjectNode process = config.putObject("process").put("terminal", false)
                .put("cwd", image.path("cwd").asText("/")).put("noNewPrivileges", true);
        process.putObject("user").put("uid", image.path("user").path("uid").asLong(0))
                .put("gid", image.path("user").path("gid").asLong(0));
        process.set("args", image.path("args").isArray() && !image.path("args").isEmpty() ? image.get("args")
                : Codec.json().createArrayNode().add("/bin/sh"));
        ArrayNode env = process.putArray("env");
        image.path("env").forEach(variable -> {
            if (!variable.asText().startsWith("TERM=")) {
                env.add(variable.asText());
            }
        });
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) {
            capabilities.putArray(set);
        }
        process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", 256).put("soft", 256);
        config.putObject("root").put("path", "rootfs").put("readonly", true);

        ArrayNode mounts = config.putArray("mounts");
        mount(mounts, "/proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "nosuid", "noexec", "strictatime", "mode=755", "size=64k");
        mount(mounts, "/tmp", "tmpfs", "nosuid", "nodev", "noexec", "mode=1777", "size=" + limits.tmpBytes());

        ObjectNode linux = config.putObject("linux");
        for (String ids : List.of("uidMappings", "gidMappings")) {
            linux.putArray(ids).addObject().put("containerID", 0).put("hostID", HOST_ID).put("size", ID_RANGE);
        }
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String namespace : List.of("user", "mount", "pid", "ipc", "uts", "network", "cgroup")) {
            namespaces.addObject().put("type", namespace);
        }
        ObjectNode resources = linux.putObject("resources");
        ObjectNode memory = resources.putObject("memory").put("limit", limits.memoryBytes());
        if (Files.exists(Path.of(MEMSW))) {
            memory.put("swap", limits.memoryBytes());
        }
        resources.putObject("pids").put("limit", limits.pids());
        // every device refused first; runc then allows only its standard ones (null, zero, full, random, tty...)
        resources.putArray("devices").addObject().put("allow", false).put("access", "rwm");
        resources.putObject("cpu").put("period", 100_000).put("quota", limits.cpuMillis() * 100);
        linux.put("cgroupsPath", "/archipelago-cargo/" + containerId);
        ArrayNode masked = linux.putArray("maskedPaths");
        List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi").forEach(masked::add);
        ArrayNode readOnly = linux.putArray("readonlyPaths");
        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger").forEach(readOnly::add);
        linux.set("seccomp", SeccompProfile.json());

        Files.write(bundle.resolve("config.json"), Codec.json().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(config));
        // the mapped root inside must reach its root filesystem, and cannot create mount points in a read-only one
        Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rwx--x--x"));
        for (String point : List.of("proc", "dev", "tmp")) {
            Path directory = bundle.resolve("rootfs").resolve(point);
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(directory);
                Files.createDirectory(directory);
            }
        }
    }

    private static void mount(ArrayNode mounts, String destination, String type, String... options) {
        ObjectNode mount = mounts.addObject().put("destination", destination).put("type", type).put("source", type);
        ArrayNode list = mount.putArray("options");
        for (String option : options) {
            list.add(option);
        }
    }
}

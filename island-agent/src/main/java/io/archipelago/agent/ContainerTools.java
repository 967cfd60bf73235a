package io.archipelago.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What this machine needs to build, publish and run container Cargos: root, runc, umoci, skopeo, a registry. */
public final class ContainerTools {

    private static final List<String> TOOLS = List.of(ContainerRuntime.RUNC, ContainerRuntime.UMOCI,
            BusyboxImages.SKOPEO, OciRegistryProcess.BINARY, BusyboxImages.BUSYBOX);

    private ContainerTools() {
    }

    /** What is missing, or an empty string when nothing is. */
    public static String missing() {
        List<String> absent = Stream.concat(TOOLS.stream().filter(tool -> !Files.isExecutable(Path.of(tool))),
                ContainerRuntime.available() ? Stream.empty() : Stream.of("root")).toList();
        return absent.isEmpty() ? "" : "container Cargos need root and runc, umoci, skopeo, docker-registry,"
                + " busybox-static (apt-get install -y runc umoci skopeo docker-registry busybox-static); missing: "
                + absent;
    }
}

package io.archipelago.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tiny real OCI container Cargos, as a publisher builds them: one layer holding Debian's static busybox at
 * /bin/busybox (plus whatever the caller adds to the root filesystem), built with umoci, and any number of images on
 * it that differ by the shell script they run, pushed to a registry with skopeo. The demo's container Cargo is one;
 * the container tests build theirs with it.
 */
public final class BusyboxImages {

    /** Debian's busybox-static. */
    public static final String BUSYBOX = "/bin/busybox";
    /** Where Debian installs skopeo. */
    public static final String SKOPEO = "/usr/bin/skopeo";

    /** Adds files to the image's root filesystem before its layer is packed. */
    @FunctionalInterface
    public interface RootFilesystem {
        RootFilesystem AS_IS = rootfs -> { };

        void add(Path rootfs) throws IOException, InterruptedException;
    }

    private final Path layout;
    private final URI registry;
    private int images;

    /** Builds the busybox layer in {@code directory}, for images pushed to {@code registry}. */
    public BusyboxImages(Path directory, URI registry) throws IOException, InterruptedException {
        this(directory, registry, RootFilesystem.AS_IS);
    }

    /** As above, with {@code extra} added to the root filesystem. */
    public BusyboxImages(Path directory, URI registry, RootFilesystem extra) throws IOException, InterruptedException {
        this.layout = directory.resolve("layout");
        this.registry = registry;
        Path bundle = directory.resolve("build");
        run(directory, ContainerRuntime.UMOCI, "init", "--layout", layout.toString());
        run(directory, ContainerRuntime.UMOCI, "new", "--image", layout + ":base");
        run(directory, ContainerRuntime.UMOCI, "unpack", "--image", layout + ":base", bundle.toString());
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of(BUSYBOX), bin.resolve("busybox"));
        extra.add(bundle.resolve("rootfs"));
        run(directory, ContainerRuntime.UMOCI, "repack", "--image", layout + ":base", bundle.toString());
    }

    /** Pushes to {@code repository} an image that runs {@code script} with busybox's sh; returns its reference. */
    public ImageReference push(String repository, String script) throws IOException, InterruptedException {
        String tag = "image" + ++images;
        Path directory = layout.getParent();
        run(directory, ContainerRuntime.UMOCI, "config", "--image", layout + ":base", "--tag", tag,
                "--config.entrypoint", "/bin/busybox", "--config.entrypoint", "sh",
                "--config.entrypoint", "-c", "--config.entrypoint", script,
                "--config.env", "PATH=/bin");
        Path digest = directory.resolve(tag + ".digest");
        // plain http needs tls-verify off; a registry on https is verified
        run(directory, SKOPEO, "copy", "--quiet", "--dest-tls-verify=" + "https".equals(registry.getScheme()),
                "--digestfile", digest.toString(), "oci:" + layout + ":" + tag,
                "docker://" + registry.getAuthority() + "/" + repository + ":" + tag);
        return new ImageReference(repository, Files.readString(digest, StandardCharsets.UTF_8).trim());
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Path log = directory.resolve("build.log");
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }
}

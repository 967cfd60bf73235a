package io.archipelago.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tiny real OCI images for the tests: one layer holding Debian's static busybox at /bin/busybox (and a device node,
 * /bin/loop0), built with umoci, and any number of images on it that differ by the shell script they run, pushed
 * with skopeo.
 */
final class BusyboxImages {

    private final Path layout;
    private final OciRegistryProcess registry;
    private int images;

    /** Builds the busybox layer in {@code directory}. */
    BusyboxImages(Path directory, OciRegistryProcess registry) throws IOException, InterruptedException {
        this.layout = directory.resolve("layout");
        this.registry = registry;
        Path bundle = directory.resolve("build");
        run(directory, "umoci", "init", "--layout", layout.toString());
        run(directory, "umoci", "new", "--image", layout + ":base");
        run(directory, "umoci", "unpack", "--image", layout + ":base", bundle.toString());
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        // a host block device (loop0) in the image, open to all, which the container must still not open
        run(directory, "mknod", "-m", "666", bin.resolve("loop0").toString(), "b", "7", "0");
        run(directory, "umoci", "repack", "--image", layout + ":base", bundle.toString());
    }

    /** Pushes to {@code repository} an image that runs {@code script} with busybox's sh; returns its reference. */
    ImageReference push(String repository, String script) throws IOException, InterruptedException {
        String tag = "image" + ++images;
        Path directory = layout.getParent();
        run(directory, "umoci", "config", "--image", layout + ":base", "--tag", tag,
                "--config.entrypoint", "/bin/busybox", "--config.entrypoint", "sh",
                "--config.entrypoint", "-c", "--config.entrypoint", script,
                "--config.env", "PATH=/bin");
        Path digest = directory.resolve(tag + ".digest");
        run(directory, "skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--digestfile", digest.toString(),
                "oci:" + layout + ":" + tag, "docker://" + registry.authority() + "/" + repository + ":" + tag);
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

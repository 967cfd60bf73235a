package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.OfferedVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Runs a container Cargo: an OCI image named by digest, pulled from a registry, its signature checked before each
 * run, unpacked by umoci and run by runc in a {@link RuncBundle} (read-only root, fresh namespaces with no network,
 * the {@link SeccompProfile}, the {@link ContainerLimits}). The job's input goes to the container's standard input
 * as one line of JSON, and each line it writes to standard output is a chunk, as for a {@link ProcessRuntime}. It
 * stops when the job is cancelled or runs past its deadline ({@code timeout} from the start of the job, pulling
 * included), killing the container if it runs, and its bundle and container are removed on every path. Units are
 * the seconds it ran, rounded up, at least one.
 */
final class ContainerRuntime implements JobRuntime {

    static final String RUNC = "/usr/sbin/runc";
    static final String UMOCI = "/usr/bin/umoci";
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WATCH = Duration.ofMillis(20);

    /** Hears how long each step of a run took: {@code pull}, {@code verify}, {@code unpack}, {@code start}, ... */
    interface Steps {
        Steps NONE = (step, nanos) -> { };

        void took(String step, long nanos);
    }

    private final OciRegistry registry;
    private final @Nullable ImageReference image;
    private final ImageSignatureCheck signatures;
    private final Path workDir;
    private final ContainerLimits limits;
    private final Duration timeout;
    private final Steps steps;

    ContainerRuntime(OciRegistry registry, @Nullable ImageReference image, ImageSignatureCheck signatures, Path workDir,
                     ContainerLimits limits, Duration timeout, Steps steps) {
        this.registry = registry;
        this.image = image;
        this.signatures = signatures;
        this.workDir = workDir;
        this.limits = limits;
        this.timeout = timeout;
        this.steps = steps;
        for (Path directory = workDir.toAbsolutePath(); directory != null; directory = directory.getParent()) {
            if (Files.isDirectory(directory) && !traversable(directory)) {
                throw new IllegalArgumentException("the container work directory " + workDir + " lies under "
                        + directory + ", which the containers' unprivileged root cannot traverse (chmod o+x it, or"
                        + " use a directory such as /var/lib/archipelago)");
            }
        }
    }

    private static boolean traversable(Path directory) {
        try {
            return Files.getPosixFilePermissions(directory).contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** Whether this machine can run containers: runc and umoci present and run as root. */
    static boolean available() {
        return Files.isExecutable(Path.of(RUNC)) && Files.isExecutable(Path.of(UMOCI))
                && "root".equals(System.getProperty("user.name"));
    }

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, Output output) throws Exception {
        return run(cargo, input, maxUnits, null, output);
    }

    /**
     * Runs the image this Cargo was configured with, checked against the signatures its registry stores, or, when
     * the job was offered with a version, that version's image by its digest, checked against the signature and
     * publisher key the offer carries (the ones the coordinator verified at publication).
     */
    @Override
    public long run(String cargo, JsonNode input, long maxUnits, @Nullable OfferedVersion version, Output output)
            throws Exception {
        String id = "cargo-" + UUID.randomUUID();
        Path job = Files.createDirectories(workDir.resolve(id));
        Path state = Files.createDirectories(workDir.resolve("runc"));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            long started = System.nanoTime();
            @Nullable ImageReference image = this.image;
            if (version == null && image == null) {
                throw new CargoVerifier.CargoRefused("container Cargo " + cargo + " runs the published versions its "
                        + "offers name, and this offer names none");
            }
            if (version != null) {
                image = signatures.checkOffered(version);
                steps.took("verify the offered version's signature", System.nanoTime() - started);
                started = System.nanoTime();
            }
            OciRegistry.Manifest manifest = registry.manifest(image);
            if (version == null) {
                List<OciRegistry.Signature> found = registry.signatures(image);
                steps.took("fetch manifest and signature", System.nanoTime() - started);

                started = System.nanoTime();
                signatures.check(image, found);
                steps.took("verify signature", System.nanoTime() - started);
            }
            stopIfCancelledOrLate(output, deadline);

            started = System.nanoTime();
            registry.pull(manifest, job.resolve("layout"), "cargo");
            steps.took("pull layers", System.nanoTime() - started);
            stopIfCancelledOrLate(output, deadline);

            started = System.nanoTime();
            Path bundle = job.resolve("bundle");
            command(List.of(UMOCI, "unpack", "--uid-map", RuncBundle.idMap(), "--gid-map", RuncBundle.idMap(),
                    "--image", job.resolve("layout") + ":cargo", bundle.toString()), job);
            RuncBundle.write(bundle, id, limits);
            steps.took("unpack", System.nanoTime() - started);
            stopIfCancelledOrLate(output, deadline);

            return execute(id, state, bundle, input, output, deadline);
        } finally {
            long started = System.nanoTime();
            quietly(List.of(RUNC, "--root", state.toString(), "delete", "--force", id));
            delete(job);
            steps.took("clean up", System.nanoTime() - started);
        }
    }

    private static void stopIfCancelledOrLate(Output output, long deadline) throws IOException {
        if (output.cancelled() || System.nanoTime() > deadline) {
            throw new IOException("stopped: " + (output.cancelled() ? "cancelled" : "timed out"));
        }
    }

    private long execute(String id, Path state, Path bundle, JsonNode input, Output output, long deadline)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path errors = bundle.resolveSibling("stderr");
        Process runc = new ProcessBuilder(RUNC, "--root", state.toString(), "run", "--bundle", bundle.toString(), id)
                .redirectError(errors.toFile())
                .start();
        AtomicReference<String> stopped = new AtomicReference<>();
        Thread watchdog = new Thread(() -> watch(runc, id, state, deadline, output, stopped), id + "-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            try (OutputStream stdin = runc.getOutputStream()) {
                stdin.write(Codec.json().writeValueAsBytes(input));
                stdin.write('\n');
            } catch (IOException closedEarly) {
                // a Cargo may exit without reading its input; what it wrote still counts
            }
            boolean first = true;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(runc.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null && stopped.get() == null) {
                    if (first) {
                        steps.took("start (to the first line)", System.nanoTime() - started);
                        first = false;
                    }
                    output.chunk(line);
                }
            }
            int exit = runc.waitFor();
            steps.took("run (start to exit)", System.nanoTime() - started);
            if (stopped.get() != null) {
                throw new IOException("stopped: " + stopped.get());
            }
            if (exit != 0) {
                throw new IOException("the container Cargo " + image + " exited with " + exit + lastLine(errors));
            }
            long seconds = (System.nanoTime() - started + 999_999_999L) / 1_000_000_000L;
            return Math.max(1, seconds);
        } finally {
            watchdog.interrupt();
            runc.destroyForcibly();
            runc.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Kills the container when the job is cancelled or its deadline passes; returns when runc has exited. */
    private void watch(Process runc, String id, Path state, long deadline, Output output,
                       AtomicReference<String> stopped) {
        try {
            while (!runc.waitFor(WATCH.toMillis(), TimeUnit.MILLISECONDS)) {
                String reason = output.cancelled() ? "cancelled" : System.nanoTime() > deadline ? "timed out" : null;
                if (reason != null) {
                    stopped.compareAndSet(null, reason);
                    quietly(List.of(RUNC, "--root", state.toString(), "kill", id, "KILL"));
                    runc.destroyForcibly();
                    return;
                }
            }
        } catch (InterruptedException done) {
            Thread.currentThread().interrupt();
        }
    }

    private static String lastLine(Path errors) {
        try {
            List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
        } catch (IOException unreadable) {
            return "";
        }
    }

    private static void command(List<String> command, Path dir) throws IOException, InterruptedException {
        Path log = dir.resolve(Path.of(command.get(0)).getFileName() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " " + command.get(1) + " did not finish in " + STEP_TIMEOUT);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " " + command.get(1) + " failed" + lastLine(log));
        }
    }

    /** Runs a step of the clean up to its end, even on a thread interrupted (its interrupt is kept for after). */
    private static void quietly(List<String> command) {
        boolean interrupted = Thread.interrupted();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException ignored) {
            // best effort: the next step of the cleanup still runs
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void delete(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(tree)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    @Override
    public String label() {
        return "container " + (image == null ? "of the offered version" : image) + " (runc + seccomp)";
    }
}

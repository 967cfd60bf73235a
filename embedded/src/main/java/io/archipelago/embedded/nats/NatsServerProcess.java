package io.archipelago.embedded.nats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code nats-server} process of the machine's own (Debian's {@code nats-server} package), bound to 127.0.0.1,
 * with its configuration, JetStream store, pid and log under one directory. Who may log in and what each may do is
 * its caller's: an {@code authorization} block of NATS's configuration syntax, given at the start and replaced in
 * place ({@link #reconfigure}) without dropping connections.
 *
 * <p>The directory is locked while the server runs, so a second process on it is refused. The server writes its
 * pid to the directory: a {@code nats-server} left running by a JVM killed without a shutdown is found at the next
 * start (the lock is free, the pid's command names this directory's configuration) and stopped. A port held by any
 * other process is refused rather than shared, and readiness is checked against the server's name, unique to each
 * start, so the caller never talks to a server it did not start.
 */
public final class NatsServerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NatsServerProcess.class);
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(10);
    private static final String CONFIG = "nats-server.conf";
    private static final String PID_FILE = "nats-server.pid";
    private static final String LOCK_FILE = "nats-server.lock";

    private final Path directory;
    private final String binary;
    private final int port;
    private final FileChannel lock;
    private final String name;
    private final Process process;

    private NatsServerProcess(Path directory, String binary, int port, FileChannel lock, String authorization)
            throws IOException {
        this.directory = directory;
        this.binary = binary;
        this.port = port;
        this.lock = lock;
        byte[] unique = new byte[8];
        new SecureRandom().nextBytes(unique);
        this.name = "archipelago-" + HexFormat.of().formatHex(unique);
        writeConfig(authorization);
        this.process = new ProcessBuilder(binary, "-c", config().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("nats-server.log").toFile()))
                .start();
    }

    /**
     * Starts {@code nats-server} found on the PATH (or at {@code /usr/sbin/nats-server}) on {@code port} of
     * 127.0.0.1 (0: a free one) with its state in {@code directory}, and returns once it accepts connections.
     * {@code authorization} makes the server's {@code authorization} block once the directory is held, from the
     * directory (where the caller may keep its keys).
     *
     * @throws IllegalStateException when another process uses {@code directory} or holds {@code port}, or
     *                               {@code nats-server} is not installed
     */
    public static NatsServerProcess start(Path directory, int port, Function<Path, String> authorization) {
        Path absolute = directory.toAbsolutePath().normalize();
        FileChannel lock = lock(absolute);
        try {
            Files.createDirectories(absolute.resolve("jetstream"));
            stopOrphan(absolute);
            String block = authorization.apply(absolute);
            NatsServerProcess server = new NatsServerProcess(absolute, binary(),
                    port == 0 ? freePort() : free(port), lock, block);
            server.awaitReady();
            LOG.info("nats-server listening on {} (state in {})", server.url(), absolute);
            return server;
        } catch (IOException | RuntimeException failed) {
            closeQuietly(lock, failed);
            if (failed instanceof IOException io) {
                throw new UncheckedIOException("cannot start nats-server in " + absolute, io);
            }
            throw (RuntimeException) failed;
        }
    }

    /** The URL clients connect to. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** The directory the server keeps its state in, locked while it runs. */
    public Path directory() {
        return directory;
    }

    /**
     * Replaces the {@code authorization} block and has the server reload it in place. The reload is asynchronous:
     * the caller checks that a new login works before relying on it, and gives the earlier block back on failure.
     */
    public synchronized void reconfigure(String authorization) throws IOException {
        writeConfig(authorization);
        reload();
    }

    /** {@code value} as a quoted string of NATS's configuration syntax. */
    public static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Writes {@code content} beside {@code file} and moves it in at once: a reader sees the old file or the new. */
    public static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(lock, null);
        }
    }

    private Path config() {
        return directory.resolve(CONFIG);
    }

    private void writeConfig(String authorization) throws IOException {
        String conf = "# written by the coordinator: every change here is overwritten\n"
                + "server_name: " + quoted(name) + "\n"
                + "pid_file: " + quoted(directory.resolve(PID_FILE).toString()) + "\n"
                + "listen: \"127.0.0.1:" + port + "\"\n"
                + "max_payload: 1048576\n"
                + "jetstream { store_dir: " + quoted(directory.resolve("jetstream").toString()) + " }\n"
                + authorization + (authorization.endsWith("\n") ? "" : "\n");
        replace(config(), conf);
    }

    private void reload() throws IOException {
        try {
            Process signal = new ProcessBuilder(binary, "--signal", "reload=" + process.pid())
                    .redirectErrorStream(true).start();
            signal.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (!signal.waitFor(5, TimeUnit.SECONDS) || signal.exitValue() != 0) {
                throw new IOException("nats-server did not take the reload signal");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reloading nats-server", interrupted);
        }
    }

    /** Ready once the server on the port greets with this start's name: not another process that took the port. */
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("nats-server exited with " + process.exitValue() + ": see "
                        + directory.resolve("nats-server.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                socket.setSoTimeout(1_000);
                String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                if (greeting == null || !greeting.contains("\"server_name\":" + quoted(name))) {
                    close();
                    throw new IllegalStateException("another server answers on port " + port + " of 127.0.0.1, not"
                            + " the nats-server started here; set archipelago.nats.port to a free port (0: any)");
                }
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IOException("nats-server did not listen on " + port + " in " + READY_WITHIN, notYet);
                }
                pause();
            }
        }
    }

    /** A short wait between two checks of something the server does asynchronously. */
    public static void pause() throws IOException {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", interrupted);
        }
    }

    /** Holds the directory's lock for as long as the server runs; refuses when another process holds it. */
    private static FileChannel lock(Path directory) {
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException heldByThisJvm) {
                held = null;
            }
            if (held == null) {
                channel.close();
                throw new IllegalStateException("the NATS directory " + directory + " is in use by another"
                        + " coordinator; give this one its own archipelago.data-dir");
            }
            return channel;
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot lock " + directory, failed);
        }
    }

    private static void closeQuietly(FileChannel lock, @Nullable Exception failure) {
        try {
            lock.close();
        } catch (IOException notClosed) {
            if (failure != null) {
                failure.addSuppressed(notClosed);
            }
        }
    }

    /**
     * With the directory's lock held, a live process named by the pid file and run on this directory's configuration
     * is a server whose JVM died without stopping it: stop it, so that this start can take the port and the
     * JetStream store. A pid since reused by another program is left alone.
     */
    private static void stopOrphan(Path directory) throws IOException {
        Path pidFile = directory.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        String config = directory.resolve(CONFIG).toString();
        Optional<ProcessHandle> orphan = pidIn(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains(config));
        if (orphan.isPresent()) {
            LOG.warn("Stopping nats-server {} left running on {} by a coordinator that did not shut down",
                    orphan.get().pid(), directory);
            stop(orphan.get());
        }
        Files.deleteIfExists(pidFile);
    }

    private static Optional<Long> pidIn(Path pidFile) throws IOException {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
        } catch (NumberFormatException garbled) {
            return Optional.empty();
        }
    }

    private static void stop(ProcessHandle process) throws IOException {
        try {
            process.destroy();
            try {
                process.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                process.destroyForcibly();
                process.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping an orphaned nats-server", interrupted);
        } catch (ExecutionException | TimeoutException notStopped) {
            throw new IOException("the orphaned nats-server " + process.pid() + " did not stop", notStopped);
        }
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nats-server"))) {
                return Path.of(dir, "nats-server").toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/sbin/nats-server"))) {
            return "/usr/sbin/nats-server";
        }
        throw new IllegalStateException("nats-server is not installed: apt-get install -y nats-server, "
                + "or set NATS_URL to an external server");
    }

    /** {@code port}, once it is known to be free: a server already there is another's, never to be shared. */
    private static int free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return port;
        } catch (IOException taken) {
            throw new IllegalStateException("port " + port + " of 127.0.0.1 is held by another process, so"
                    + " nats-server cannot listen there; set archipelago.nats.port to a free port (0: any)", taken);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

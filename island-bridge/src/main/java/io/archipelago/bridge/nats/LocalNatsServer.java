package io.archipelago.bridge.nats;

import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.NKeyAuth;
import io.archipelago.protocol.SessionProof;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code nats-server} process of the machine's own (Debian's {@code nats-server} package), bound to 127.0.0.1,
 * with its configuration, JetStream store and log under one directory. Only NKey users get in: the coordinator,
 * with every permission, and each admitted Island, which may subscribe only under {@link Subjects#inbound} and
 * publish only under {@link Subjects#outbound}, where the coordinator's requests also ask for their answers, and send
 * and hear pipeline hops only as their sender ({@link Subjects#hopsOutbound}) and their addressee
 * ({@link Subjects#hopsInbound}).
 * Admitting an Island rewrites the configuration and reloads it in place, without dropping connections; it is
 * atomic: the key is kept only once the server accepts it, otherwise the Island's earlier key stays in force. Island
 * keys are kept in the directory, so Islands reconnect with the same seed after a restart.
 *
 * <p>The directory is locked while the server runs, so a second coordinator on it is refused. The server writes its
 * pid to the directory: a {@code nats-server} left running by a coordinator killed without a shutdown is found by it
 * at the next start (the lock is free, the pid's command names this directory's configuration) and stopped. A port
 * held by any other process is refused rather than shared, and readiness is checked against the server's name,
 * unique to each start, so the coordinator never talks to a server it did not start.
 */
public final class LocalNatsServer implements IslandAdmission, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalNatsServer.class);
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(10);
    private static final String CONFIG = "nats-server.conf";
    private static final String PID_FILE = "nats-server.pid";
    private static final String LOCK_FILE = "nats-server.lock";

    private final Path directory;
    private final String binary;
    private final int port;
    private final NKeys coordinator;
    private final Map<String, String> islandKeys;
    private final FileChannel lock;
    private final String name;
    private final Process process;

    private LocalNatsServer(Path directory, String binary, int port, NKeys coordinator,
                            Map<String, String> islandKeys, FileChannel lock) throws IOException {
        this.directory = directory;
        this.binary = binary;
        this.port = port;
        this.coordinator = coordinator;
        this.islandKeys = islandKeys;
        this.lock = lock;
        byte[] unique = new byte[8];
        new SecureRandom().nextBytes(unique);
        this.name = "archipelago-" + HexFormat.of().formatHex(unique);
        writeConfig(islandKeys);
        this.process = new ProcessBuilder(binary, "-c", config().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("nats-server.log").toFile()))
                .start();
    }

    /**
     * Starts {@code nats-server} found on the PATH (or at {@code /usr/sbin/nats-server}) on {@code port} of
     * 127.0.0.1 (0: a free one) with its state in {@code directory}, and returns once it accepts connections.
     *
     * @throws IllegalStateException when another coordinator uses {@code directory}, or another process holds
     *                               {@code port}
     */
    public static LocalNatsServer start(Path directory, int port) {
        Path absolute = directory.toAbsolutePath().normalize();
        FileChannel lock = lock(absolute);
        try {
            Files.createDirectories(absolute.resolve("jetstream"));
            stopOrphan(absolute);
            NKeys coordinator = coordinatorKey(absolute);
            Map<String, String> islands = loadIslandKeys(absolute);
            LocalNatsServer server = new LocalNatsServer(absolute, binary(), port == 0 ? freePort() : free(port),
                    coordinator, islands, lock);
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

    /** The coordinator's own NKey seed: every permission. */
    public String coordinatorSeed() {
        return coordinator.seed();
    }

    @Override
    public synchronized IslandSession admit(String islandId, @Nullable SessionProof proof, Instant now)
            throws SessionRefused {
        Subjects.inbound(islandId);
        String current = islandKeys.get(islandId);
        if (current != null && (proof == null || !proof.isValid(islandId, current, now))) {
            throw new SessionRefused("island " + islandId + " already has a session: only the holder of its"
                    + " current key may open a new one (sign a " + SessionProof.class.getSimpleName() + ")");
        }
        return admit(islandId);
    }

    /**
     * Admits {@code islandId} with a new key, whatever key it had: for the coordinator's own use and tests. Nothing
     * is kept unless the server accepts the new key; otherwise the earlier key stays in force and this throws.
     */
    public synchronized IslandSession admit(String islandId) {
        Subjects.inbound(islandId);
        NKeys island = NKeys.create();
        Map<String, String> admitted = new TreeMap<>(islandKeys);
        admitted.put(islandId, island.publicKey());
        try {
            writeConfig(admitted);
            reload();
            awaitAccepted(island.seed());
            saveIslandKeys(admitted);
        } catch (IOException failed) {
            restoreConfig(failed);
            throw new UncheckedIOException("cannot admit island " + islandId + " (its earlier key, if any, stays)",
                    failed);
        }
        islandKeys.put(islandId, island.publicKey());
        return new IslandSession(islandId, url(), island.seed());
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

    /** Puts the server back on the keys in force before a failed admission; a second failure is reported with it. */
    private void restoreConfig(IOException failed) {
        try {
            writeConfig(islandKeys);
            reload();
        } catch (IOException alsoFailed) {
            failed.addSuppressed(alsoFailed);
        }
    }

    private void writeConfig(Map<String, String> keys) throws IOException {
        StringBuilder conf = new StringBuilder()
                .append("# written by the coordinator: every change here is overwritten\n")
                .append("server_name: ").append(quoted(name)).append("\n")
                .append("pid_file: ").append(quoted(directory.resolve(PID_FILE).toString())).append("\n")
                .append("listen: \"127.0.0.1:").append(port).append("\"\n")
                .append("max_payload: 1048576\n")
                .append("jetstream { store_dir: ").append(quoted(directory.resolve("jetstream").toString()))
                .append(" }\n")
                .append("authorization {\n  users = [\n")
                .append("    { nkey: ").append(quoted(coordinator.publicKey()))
                .append(", permissions: { publish: \">\", subscribe: \">\" } }\n");
        for (Map.Entry<String, String> island : keys.entrySet()) {
            conf.append("    { nkey: ").append(quoted(island.getValue()))
                    .append(", permissions: { publish: { allow: [").append(quoted(Subjects.outbound(island.getKey())))
                    .append(", ").append(quoted(Subjects.hopsOutbound(island.getKey())))
                    .append("] }, subscribe: { allow: [").append(quoted(Subjects.inbound(island.getKey())))
                    .append(", ").append(quoted(Subjects.hopsInbound(island.getKey())))
                    .append("] } } }\n");
        }
        conf.append("  ]\n}\n");
        replace(config(), conf.toString());
    }

    private static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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

    /** A reload is asynchronous: the new key is in force once a connection with it succeeds. */
    private void awaitAccepted(String seed) throws IOException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (true) {
            Options options = new Options.Builder().server(url()).authHandler(NKeyAuth.fromSeed(seed))
                    .noReconnect().connectionTimeout(Duration.ofSeconds(1)).build();
            try (Connection accepted = Nats.connect(options)) {
                return;
            } catch (IOException refused) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nats-server did not accept the new key in " + READY_WITHIN, refused);
                }
                pause();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while admitting a key", interrupted);
            }
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

    private static void pause() throws IOException {
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
     * is a server whose coordinator died without stopping it: stop it, so that this start can take the port and the
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

    private static NKeys coordinatorKey(Path directory) throws IOException {
        Path file = directory.resolve("coordinator.nkey");
        if (Files.exists(file)) {
            String seed = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return new NKeys(seed, NKeys.publicKeyOf(seed));
        }
        NKeys created = NKeys.create();
        Files.writeString(file, created.seed(), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return created;
    }

    private static Map<String, String> loadIslandKeys(Path directory) throws IOException {
        Map<String, String> keys = new TreeMap<>();
        Path file = directory.resolve("island-keys.properties");
        if (Files.exists(file)) {
            Properties stored = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                stored.load(in);
            }
            stored.stringPropertyNames().forEach(island -> keys.put(island, stored.getProperty(island)));
        }
        return keys;
    }

    private void saveIslandKeys(Map<String, String> keys) throws IOException {
        Properties stored = new Properties();
        stored.putAll(keys);
        StringWriter out = new StringWriter();
        stored.store(out, "public NKeys of admitted Islands");
        replace(directory.resolve("island-keys.properties"), out.toString());
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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

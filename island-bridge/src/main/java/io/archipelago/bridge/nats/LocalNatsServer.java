package io.archipelago.bridge.nats;

import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.NKeyAuth;
import io.archipelago.protocol.SessionProof;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code nats-server} process of the machine's own (Debian's {@code nats-server} package), bound to 127.0.0.1,
 * with its configuration, JetStream store and log under one directory. Only NKey users get in: the coordinator,
 * with every permission, and each admitted Island, which may subscribe only under {@link Subjects#inbound} and
 * publish only under {@link Subjects#outbound}, where the coordinator's requests also ask for their answers.
 * Admitting an Island rewrites the configuration and reloads it in place, without dropping connections. Island keys
 * are kept in the directory, so Islands reconnect with the same seed after a restart.
 */
public final class LocalNatsServer implements IslandAdmission, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalNatsServer.class);
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final Path directory;
    private final String binary;
    private final int port;
    private final NKeys coordinator;
    private final Map<String, String> islandKeys;
    private final Process process;

    private LocalNatsServer(Path directory, String binary, int port, NKeys coordinator,
                            Map<String, String> islandKeys) throws IOException {
        this.directory = directory;
        this.binary = binary;
        this.port = port;
        this.coordinator = coordinator;
        this.islandKeys = islandKeys;
        writeConfig();
        this.process = new ProcessBuilder(binary, "-c", config().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("nats-server.log").toFile()))
                .start();
    }

    /**
     * Starts {@code nats-server} found on the PATH (or at {@code /usr/sbin/nats-server}) on {@code port} of
     * 127.0.0.1 (0: a free one) with its state in {@code directory}, and returns once it accepts connections.
     */
    public static LocalNatsServer start(Path directory, int port) {
        try {
            Files.createDirectories(directory.resolve("jetstream"));
            NKeys coordinator = coordinatorKey(directory);
            Map<String, String> islands = loadIslandKeys(directory);
            LocalNatsServer server = new LocalNatsServer(directory, binary(), port == 0 ? freePort() : port,
                    coordinator, islands);
            server.awaitReady();
            LOG.info("nats-server listening on {} (state in {})", server.url(), directory);
            return server;
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot start nats-server in " + directory, failed);
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

    /** Admits {@code islandId} with a new key, whatever key it had: for the coordinator's own use and tests. */
    public synchronized IslandSession admit(String islandId) {
        Subjects.inbound(islandId);
        NKeys island = NKeys.create();
        islandKeys.put(islandId, island.publicKey());
        try {
            saveIslandKeys();
            writeConfig();
            reload();
            awaitAccepted(island.seed());
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot admit island " + islandId, failed);
        }
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
        }
    }

    private Path config() {
        return directory.resolve("nats-server.conf");
    }

    private void writeConfig() throws IOException {
        StringBuilder conf = new StringBuilder()
                .append("# written by the coordinator: every change here is overwritten\n")
                .append("listen: \"127.0.0.1:").append(port).append("\"\n")
                .append("max_payload: 1048576\n")
                .append("jetstream { store_dir: ").append(quoted(directory.resolve("jetstream").toString()))
                .append(" }\n")
                .append("authorization {\n  users = [\n")
                .append("    { nkey: ").append(quoted(coordinator.publicKey()))
                .append(", permissions: { publish: \">\", subscribe: \">\" } }\n");
        for (Map.Entry<String, String> island : islandKeys.entrySet()) {
            conf.append("    { nkey: ").append(quoted(island.getValue()))
                    .append(", permissions: { publish: { allow: [").append(quoted(Subjects.outbound(island.getKey())))
                    .append("] }, subscribe: { allow: [").append(quoted(Subjects.inbound(island.getKey())))
                    .append("] } } }\n");
        }
        conf.append("  ]\n}\n");
        Path next = directory.resolve("nats-server.conf.next");
        Files.writeString(next, conf.toString(), StandardCharsets.UTF_8);
        Files.move(next, config(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
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

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("nats-server exited with " + process.exitValue() + ": see "
                        + directory.resolve("nats-server.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
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

    private void saveIslandKeys() throws IOException {
        Properties stored = new Properties();
        stored.putAll(islandKeys);
        try (OutputStream out = Files.newOutputStream(directory.resolve("island-keys.properties"))) {
            stored.store(out, "public NKeys of admitted Islands");
        }
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

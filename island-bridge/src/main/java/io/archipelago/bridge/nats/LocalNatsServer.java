package io.archipelago.bridge.nats;

import io.archipelago.embedded.nats.NatsServerProcess;
import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.NKeyAuth;
import io.archipelago.protocol.SessionProof;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's local NATS server, a {@link NatsServerProcess} of the {@code embedded} module, with the
 * island protocol's logins: only NKey users get in, the coordinator with every permission and each admitted Island,
 * which may subscribe only under {@link Subjects#inbound} and publish only under {@link Subjects#outbound}, where the
 * coordinator's requests also ask for their answers, and send and hear pipeline hops only as their sender
 * ({@link Subjects#hopsOutbound}) and their addressee ({@link Subjects#hopsInbound}).
 * Admitting an Island rewrites the configuration and reloads it in place, without dropping connections; it is
 * atomic: the key is kept only once the server accepts it, otherwise the Island's earlier key stays in force. Island
 * keys are kept in the server's directory, so Islands reconnect with the same seed after a restart; the directory's
 * lock, orphan stop and port checks are the process's.
 */
public final class LocalNatsServer implements IslandAdmission, AutoCloseable {

    private static final Duration ACCEPTED_WITHIN = Duration.ofSeconds(10);
    private static final String ISLAND_KEYS = "island-keys.properties";

    private final NatsServerProcess process;
    private final NKeys coordinator;
    private final Map<String, String> islandKeys;

    private LocalNatsServer(NatsServerProcess process, NKeys coordinator, Map<String, String> islandKeys) {
        this.process = process;
        this.coordinator = coordinator;
        this.islandKeys = islandKeys;
    }

    /**
     * Starts {@code nats-server} found on the PATH (or at {@code /usr/sbin/nats-server}) on {@code port} of
     * 127.0.0.1 (0: a free one) with its state in {@code directory}, and returns once it accepts connections.
     *
     * @throws IllegalStateException when another coordinator uses {@code directory}, or another process holds
     *                               {@code port}
     */
    public static LocalNatsServer start(Path directory, int port) {
        NKeys[] coordinator = new NKeys[1];
        Map<String, String> islands = new TreeMap<>();
        // the keys are read once the directory is held, so two coordinators never make two coordinator keys
        NatsServerProcess process = NatsServerProcess.start(directory, port, held -> {
            try {
                coordinator[0] = coordinatorKey(held);
                islands.putAll(loadIslandKeys(held));
            } catch (IOException failed) {
                throw new UncheckedIOException("cannot read the NATS keys in " + held, failed);
            }
            return authorization(coordinator[0], islands);
        });
        return new LocalNatsServer(process, coordinator[0], islands);
    }

    /** The URL clients connect to. */
    public String url() {
        return process.url();
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
            process.reconfigure(authorization(coordinator, admitted));
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
        process.close();
    }

    /** Puts the server back on the keys in force before a failed admission; a second failure is reported with it. */
    private void restoreConfig(IOException failed) {
        try {
            process.reconfigure(authorization(coordinator, islandKeys));
        } catch (IOException alsoFailed) {
            failed.addSuppressed(alsoFailed);
        }
    }

    private static String authorization(NKeys coordinator, Map<String, String> keys) {
        StringBuilder conf = new StringBuilder()
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
        return conf.append("  ]\n}\n").toString();
    }

    /** A reload is asynchronous: the new key is in force once a connection with it succeeds. */
    private void awaitAccepted(String seed) throws IOException {
        long deadline = System.nanoTime() + ACCEPTED_WITHIN.toNanos();
        while (true) {
            Options options = new Options.Builder().server(url()).authHandler(NKeyAuth.fromSeed(seed))
                    .noReconnect().connectionTimeout(Duration.ofSeconds(1)).build();
            try (Connection accepted = Nats.connect(options)) {
                return;
            } catch (IOException refused) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nats-server did not accept the new key in " + ACCEPTED_WITHIN, refused);
                }
                NatsServerProcess.pause();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while admitting a key", interrupted);
            }
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
        Path file = directory.resolve(ISLAND_KEYS);
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
        NatsServerProcess.replace(process.directory().resolve(ISLAND_KEYS), out.toString());
    }

    private static String quoted(String value) {
        return NatsServerProcess.quoted(value);
    }
}

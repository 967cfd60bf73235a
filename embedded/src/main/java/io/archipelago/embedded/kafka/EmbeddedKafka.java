package io.archipelago.embedded.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka in this JVM: a combined broker and controller on free ports of 127.0.0.1, with its log
 * in a directory the caller names (the coordinator's data directory), emptied and formatted at every start and left
 * in place when it stops, so nothing outside that directory can pull it away from a running broker; a directory a
 * running broker holds is refused, never emptied. Kafka's calls
 * to exit or halt the JVM are logged instead: a broker failure must not end the coordinator around it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE = 1;
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    /** The file a running broker holds a lock on in each of its log directories. */
    private static final String KAFKA_LOCK = ".lock";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker with its log in {@code directory} ({@link #bootstrapServers()} tells where it listens).
     *
     * @throws IllegalStateException when a running broker uses {@code directory}
     */
    public static EmbeddedKafka start(Path directory) {
        Path logs = directory.toAbsolutePath().normalize();
        try {
            empty(logs);
            int brokerPort = freePort();
            int controllerPort = freePort();
            String bootstrap = "127.0.0.1:" + brokerPort;
            KafkaConfig config = new KafkaConfig(Map.ofEntries(
                    Map.entry("process.roles", "broker,controller"),
                    Map.entry("node.id", String.valueOf(NODE)),
                    Map.entry("controller.quorum.voters", NODE + "@127.0.0.1:" + controllerPort),
                    Map.entry("listeners", "PLAINTEXT://" + bootstrap + ",CONTROLLER://127.0.0.1:" + controllerPort),
                    Map.entry("advertised.listeners", "PLAINTEXT://" + bootstrap),
                    Map.entry("controller.listener.names", "CONTROLLER"),
                    Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                    Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                    Map.entry("log.dirs", logs.toString()),
                    Map.entry("log.retention.ms", "-1"),
                    Map.entry("auto.create.topics.enable", "false"),
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("group.initial.rebalance.delay.ms", "0")), false);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                    .setNodeId(NODE)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logs.toString()))
                    .setMetadataLogDirectory(logs.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
            Exit.setExitProcedure((status, message) -> LOG.error("Kafka asked to exit ({}): {}", status, message));
            Exit.setHaltProcedure((status, message) -> LOG.error("Kafka asked to halt ({}): {}", status, message));
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap);
            kafka.awaitReady();
            LOG.info("Embedded Kafka (KRaft) at {} with its log in {}", bootstrap, logs);
            return kafka;
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot start the embedded Kafka in " + logs, failed);
        } catch (IllegalStateException refused) {
            throw refused;
        } catch (Exception failed) {
            throw new IllegalStateException("cannot start the embedded Kafka in " + logs, failed);
        }
    }

    /** {@code host:port} of the broker, for Kafka clients and {@code kcat -b}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Ready once the broker has registered with its controller and answers as a cluster of one. */
    private void awaitReady() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.describeCluster().nodes().get(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception notReady) {
            close();
            throw notReady;
        }
    }

    /**
     * The topic starts empty at every start (the export fills it again), so the last start's log goes; never the log
     * of a broker still running on the directory, which holds Kafka's own lock on it.
     */
    private static void empty(Path logs) throws IOException {
        Path lock = logs.resolve(KAFKA_LOCK);
        if (Files.exists(lock)) {
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                FileLock held = channel.tryLock();
                if (held == null) {
                    throw inUse(logs, null);
                }
                held.release();
            } catch (OverlappingFileLockException heldByThisJvm) {
                throw inUse(logs, heldByThisJvm);
            }
        }
        if (Files.exists(logs)) {
            try (Stream<Path> files = Files.walk(logs)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(logs);
    }

    private static IllegalStateException inUse(Path logs, @Nullable Exception cause) {
        return new IllegalStateException("the Kafka directory " + logs + " is in use by a running broker (another"
                + " coordinator's?); give this one its own archipelago.data-dir", cause);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

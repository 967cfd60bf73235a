package io.archipelago.coordinator.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 run from the binaries in the jar, on a data directory that outlives the process: created by
 * {@code initdb} on first start, reused on every later one, never cleaned. Closed by Spring after everything that
 * uses it, never by a JVM shutdown hook of its own (which would race Axon's event processors).
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** The file zonky holds a lock on while a JVM uses the data directory. */
    private static final String LOCK_FILE = "epg-lock";
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory}, listening on localhost at {@code port} (0 picks a free port).
     * When {@code durable}, every commit is flushed to disk ({@code fsync}, {@code synchronous_commit}); otherwise
     * a crash of the machine may lose or corrupt recent commits, which only tests should accept.
     */
    static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean durable) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
            stopOrphanedPostmaster(directory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off")
                    .start();
            LOG.info("Embedded PostgreSQL on port {} with data in {} ({})", postgres.getPort(), directory,
                    durable ? "durable" : "fsync off");
            return new EmbeddedPostgresServer(postgres, directory);
        } catch (IOException failed) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + directory, failed);
        }
    }

    DatabaseEndpoint endpoint() {
        return new DatabaseEndpoint("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres",
                null);
    }

    int port() {
        return postgres.getPort();
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * A coordinator killed without a shutdown leaves its postmaster running on the data directory, and a new
     * PostgreSQL cannot start there. When no live JVM holds the directory's lock, such a postmaster is an orphan:
     * stop it so this start can take over. One held by a live coordinator is left alone, and the start fails.
     */
    private static void stopOrphanedPostmaster(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        if (isLockedByAnotherProcess(directory.resolve(LOCK_FILE))) {
            throw new IllegalStateException("the PostgreSQL data directory " + directory
                    + " is in use by another coordinator; give this one its own archipelago.data-dir");
        }
        Optional<ProcessHandle> postmaster = postmasterOf(pidFile);
        if (postmaster.isEmpty()) {
            return;
        }
        LOG.warn("Stopping PostgreSQL {} left running on {} by a coordinator that did not shut down",
                postmaster.get().pid(), directory);
        postmaster.get().destroy();
        try {
            postmaster.get().onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping an orphaned PostgreSQL", interrupted);
        } catch (ExecutionException | TimeoutException notStopped) {
            throw new IllegalStateException("an orphaned PostgreSQL (pid " + postmaster.get().pid() + ") on "
                    + directory + " did not stop within " + ORPHAN_STOP_WAIT, notStopped);
        }
    }

    private static boolean isLockedByAnotherProcess(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (RandomAccessFile file = new RandomAccessFile(lockFile.toFile(), "rw");
             FileChannel channel = file.getChannel()) {
            @Nullable FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException heldByThisJvm) {
            return true;
        }
    }

    /** The live process named by {@code postmaster.pid}, if it is a PostgreSQL and not a recycled pid. */
    private static Optional<ProcessHandle> postmasterOf(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException garbled) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres"))
                        .orElse(false));
    }
}

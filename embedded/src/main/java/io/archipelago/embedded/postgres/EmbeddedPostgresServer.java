package io.archipelago.embedded.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
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
 *
 * <p>Only the server started here is ever used: a port held by any other process is refused before the start, and
 * the server that answers must name this data directory as its own. Every connection, local ones included, logs in
 * with a password ({@code scram-sha-256}) generated at the first start and kept in the data directory, readable by
 * this user only ({@value #PASSWORD_FILE}); a directory made before passwords were required gets one at its next
 * start.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** The file zonky holds a lock on while a JVM uses the data directory. */
    private static final String LOCK_FILE = "epg-lock";
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
    /** The file in the data directory that holds the superuser's password, readable by its owner only. */
    public static final String PASSWORD_FILE = "archipelago-password";
    private static final String SUPERUSER = "postgres";
    private static final String HBA_HEADER = "# written by the coordinator: password logins only\n";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, String password) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory}, listening on localhost at {@code port} (0 picks a free port).
     * When {@code durable}, every commit is flushed to disk ({@code fsync}, {@code synchronous_commit}); otherwise
     * a crash of the machine may lose or corrupt recent commits, which only tests should accept.
     *
     * @throws IllegalStateException when another coordinator uses the directory, another process holds
     *                               {@code port}, or a server other than the one started here answers on it
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean durable) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
            stopOrphanedPostmaster(directory);
            requireFree(port);
            Path passwordFile = directory.resolve(PASSWORD_FILE);
            boolean initialized = Files.exists(directory.resolve("postgresql.conf"));
            String password = Files.exists(passwordFile)
                    ? Files.readString(passwordFile, StandardCharsets.UTF_8).trim() : newPassword();
            // initdb runs on an empty directory, so its password file waits outside until initdb is done
            @Nullable Path initdbPassword = initialized ? null
                    : secretFile(Files.createTempFile("archipelago-initdb", ".password"), password);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (initdbPassword != null) {
                // zonky passes its "locale" settings to initdb as --key=value, the only initdb options it lets through
                builder.setLocaleConfig("pwfile", initdbPassword.toString())
                        .setLocaleConfig("auth-local", "scram-sha-256")
                        .setLocaleConfig("auth-host", "scram-sha-256");
            }
            EmbeddedPostgres postgres = builder
                    .setDataDirectory(directory)
                    .setDataDirectoryCustomizer(initializedDirectory -> keepPassword(passwordFile, password,
                            initdbPassword))
                    .setConnectConfig("password", password)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off")
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, directory, password);
            server.requireOwnDataDirectory();
            server.requirePasswords();
            LOG.info("Embedded PostgreSQL on port {} with data in {} ({})", postgres.getPort(), directory,
                    durable ? "durable" : "fsync off");
            return server;
        } catch (IOException failed) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + directory, failed);
        }
    }

    /** The {@code jdbc:postgresql://} URL of the server's {@code postgres} database on localhost. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** The role every login of the coordinator uses. */
    public String user() {
        return SUPERUSER;
    }

    /** That role's password, as kept in {@value #PASSWORD_FILE}. */
    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * Zonky waits for "a server on the port", whichever it is: one that reports another data directory is another
     * coordinator's (or anyone's), and is left alone while this start fails.
     */
    private void requireOwnDataDirectory() throws IOException {
        String served;
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_setting('data_directory')")) {
            result.next();
            served = result.getString(1);
        } catch (SQLException failed) {
            throw refused("the PostgreSQL on port " + port() + " is not the one started on " + dataDirectory + ": "
                    + failed.getMessage(), failed);
        }
        if (!Path.of(served).toRealPath().equals(dataDirectory.toRealPath())) {
            throw refused("the PostgreSQL on port " + port() + " serves " + served + ", not " + dataDirectory
                    + "; set archipelago.postgres.port to a free port (0: any)", null);
        }
    }

    /** Stops what this start began (never the server that answered) and says why it is refused. */
    private IllegalStateException refused(String reason, @Nullable Throwable cause) {
        IllegalStateException refused = new IllegalStateException(reason, cause);
        try {
            close();
        } catch (IOException | RuntimeException notStopped) {
            refused.addSuppressed(notStopped);
        }
        return refused;
    }

    /** A directory made when local logins were trusted gets the password, then loses the trust. */
    private void requirePasswords() throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        if (Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_HEADER)) {
            return;
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            Files.writeString(hba, HBA_HEADER
                    + "local all all scram-sha-256\n"
                    + "host all all 127.0.0.1/32 scram-sha-256\n"
                    + "host all all ::1/128 scram-sha-256\n", StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException failed) {
            throw new IOException("could not require passwords on " + dataDirectory, failed);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), SUPERUSER, password);
    }

    /** After initdb: the password is kept in the data directory and its copy for initdb goes. */
    private static void keepPassword(Path passwordFile, String password, @Nullable Path initdbPassword) {
        try {
            if (!Files.exists(passwordFile)) {
                secretFile(passwordFile, password);
            }
            if (initdbPassword != null) {
                Files.deleteIfExists(initdbPassword);
            }
        } catch (IOException failed) {
            throw new UncheckedIOException("could not keep the embedded PostgreSQL's password", failed);
        }
    }

    private static Path secretFile(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Hex, so that it needs no quoting in SQL or in a connection string. */
    private static String newPassword() {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** Zonky would wait for any server on the port and take it for its own: one already there is refused. */
    private static void requireFree(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException taken) {
            throw new IllegalStateException("port " + port + " of localhost is held by another process (another"
                    + " coordinator's PostgreSQL?); the embedded PostgreSQL uses only a server it started: set"
                    + " archipelago.postgres.port to a free port (0: any)", taken);
        }
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

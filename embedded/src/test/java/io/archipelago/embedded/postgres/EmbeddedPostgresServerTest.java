package io.archipelago.embedded.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server keeps its data directory, takes it over from a coordinator that died without stopping, never
 * uses a server it did not start, and lets nobody in without its password.
 */
class EmbeddedPostgresServerTest {

    @TempDir
    Path dataDir;

    @Test
    void aSecondServerOnADirectoryInUseIsRefused() throws Exception {
        try (EmbeddedPostgresServer running = EmbeddedPostgresServer.start(dataDir, 0, false)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another coordinator");
            assertThat(count(running, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void aPortHeldByAnotherCoordinatorsPostgresIsRefusedAndThatDatabaseLeftAlone(@TempDir Path otherDir)
            throws Exception {
        try (EmbeddedPostgresServer other = EmbeddedPostgresServer.start(otherDir, 0, false)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, other.port(), false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + other.port() + " of localhost is held by another process");
            assertThat(count(other, "SELECT 1")).isEqualTo(1);
        }
        try (ServerSocket anySocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, anySocket.getLocalPort(), false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("held by another process");
        }
    }

    @Test
    void everyLoginNeedsThePasswordKeptInTheDataDirectory() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, false)) {
            assertThat(Files.getPosixFilePermissions(dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(server.password()).isEqualTo(Files.readString(
                    dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE), StandardCharsets.UTF_8).trim());
            assertRefusedWithout(server);
        }
        // a directory from before passwords, which trusted local logins, requires them from its next start
        Files.writeString(dataDir.resolve("pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n"
                + "host all all ::1/128 trust\n", StandardCharsets.UTF_8);
        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(dataDir, 0, false)) {
            assertThat(count(restarted, "SELECT 1")).isEqualTo(1);
            assertRefusedWithout(restarted);
        }
    }

    private static void assertRefusedWithout(EmbeddedPostgresServer server) {
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", "postgres")
                .close()).isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    @Test
    void aPostgresLeftRunningByAKilledCoordinatorIsStoppedAndItsDataKept() throws Exception {
        Process coordinator = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), CrashingCoordinator.class.getName(),
                dataDir.toString())
                .redirectErrorStream(true)
                .start();
        long orphanPid;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(coordinator.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = output.readLine();
            } while (line != null && !line.startsWith(CrashingCoordinator.READY));
            assertThat(line).as("the child coordinator came up").isNotNull();
            orphanPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            coordinator.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(orphanPid)).as("the postmaster outlived its coordinator")
                .hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());

        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(dataDir, 0, false)) {
            assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(count(restarted, "SELECT count(*) FROM written_before_the_crash")).isEqualTo(3);
        }
    }

    private static long count(EmbeddedPostgresServer server, String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres",
                server.password());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** A coordinator's database side in a process of its own, to be killed with SIGKILL. */
    static final class CrashingCoordinator {

        static final String READY = "READY";

        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(new File(args[0]).toPath(), 0, false);
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres",
                    server.password());
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE written_before_the_crash (n int)");
                statement.execute("INSERT INTO written_before_the_crash VALUES (1), (2), (3)");
            }
            System.out.println(READY);
            System.out.flush();
            System.in.read();
        }
    }
}

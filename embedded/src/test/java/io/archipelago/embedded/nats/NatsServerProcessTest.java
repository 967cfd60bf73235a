package io.archipelago.embedded.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine's {@code nats-server} as a child process, with logins its caller writes and replaces in place. */
class NatsServerProcessTest {

    private static final String PASSWORDS = "authorization { user: \"island\", password: \"secret\" }";

    @TempDir
    Path dir;

    @Test
    void startsWithTheCallersLoginsAndReloadsNewOnesInPlace() throws IOException {
        try (NatsServerProcess server = NatsServerProcess.start(dir, 0, held -> {
            assertThat(held).isEqualTo(dir.toAbsolutePath().normalize());
            return PASSWORDS;
        })) {
            assertThat(greeting(server)).contains("\"auth_required\":true");
            assertThat(Files.readString(dir.resolve("nats-server.conf"))).contains(PASSWORDS)
                    .contains("listen: \"127.0.0.1:");

            server.reconfigure("");
            await().atMost(Duration.ofSeconds(10)).until(() -> !greeting(server).contains("auth_required"));
        }
    }

    @Test
    void aSecondServerOnTheSameDirectoryIsRefusedAndTheFirstKeepsRunning() throws IOException {
        try (NatsServerProcess first = NatsServerProcess.start(dir, 0, held -> PASSWORDS)) {
            assertThatThrownBy(() -> NatsServerProcess.start(dir, 0, held -> PASSWORDS))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another coordinator");
            assertThat(greeting(first)).startsWith("INFO ");
        }
    }

    @Test
    void aBadConfigurationIsReportedWithWhereItsLogIs() {
        assertThatThrownBy(() -> NatsServerProcess.start(dir, 0, held -> "authorization { this is not nats }"))
                .hasMessageContaining("cannot start nats-server")
                .hasStackTraceContaining("nats-server.log");
    }

    /** The server's first line to a new connection: its INFO, naming whether a login is required. */
    private static String greeting(NatsServerProcess server) throws IOException {
        URI url = URI.create(server.url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(2_000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }
    }
}

package io.archipelago.bridge.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.SessionProof;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a local nats-server does when its directory, its port or its process are not as it left them. */
class LocalNatsServerRestartTest {

    @TempDir
    Path directory;

    @Test
    void aSecondServerOnADirectoryInUseIsRefused() {
        try (LocalNatsServer running = LocalNatsServer.start(directory, 0)) {
            assertThatThrownBy(() -> LocalNatsServer.start(directory, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another coordinator");
            assertThat(running.admit("island-a").natsUrl()).isEqualTo(running.url());
        }
    }

    @Test
    void aPortHeldByAnotherProcessIsRefusedNotShared() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalNatsServer.start(directory, taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " of 127.0.0.1 is held by another process");
        }
        // the refused start let the directory go
        try (LocalNatsServer started = LocalNatsServer.start(directory, 0)) {
            assertThat(started.url()).startsWith("nats://127.0.0.1:");
        }
    }

    @Test
    void anAdmissionTheServerDidNotTakeKeepsTheIslandsEarlierKey() throws Exception {
        IslandSession first;
        try (LocalNatsServer server = LocalNatsServer.start(directory, 0)) {
            first = server.admit("island-a", null, Instant.now());
            ProcessHandle nats = ProcessHandle.of(Long.parseLong(Files.readString(
                    directory.resolve("nats-server.pid"), StandardCharsets.US_ASCII).trim())).orElseThrow();
            nats.destroyForcibly();
            nats.onExit().get(10, TimeUnit.SECONDS);

            assertThatThrownBy(() -> server.admit("island-a", SessionProof.sign("island-a", first.nkeySeed(),
                    Instant.now()), Instant.now())).isInstanceOf(UncheckedIOException.class);
        }
        try (LocalNatsServer restarted = LocalNatsServer.start(directory, 0)) {
            IslandSession again = restarted.admit("island-a", SessionProof.sign("island-a", first.nkeySeed(),
                    Instant.now()), Instant.now());
            assertThat(again.nkeySeed()).isNotEqualTo(first.nkeySeed());
        }
    }
}

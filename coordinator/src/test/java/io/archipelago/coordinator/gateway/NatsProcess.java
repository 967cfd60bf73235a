package io.archipelago.coordinator.gateway;

import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A plain {@code nats-server} on 127.0.0.1, without users, as docker-compose runs it. */
record NatsProcess(Process process, int port) implements AutoCloseable {

    static NatsProcess start(Path directory) throws Exception {
        Files.createDirectories(directory);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String binary = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? "/usr/sbin/nats-server"
                : "nats-server";
        Process process = new ProcessBuilder(binary, "-a", "127.0.0.1", "-p", String.valueOf(port), "-js",
                "-sd", directory.toString()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("nats-server.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            }
        });
        return new NatsProcess(process, port);
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

package io.archipelago.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry (Debian's docker-registry, distribution 2.8) on a free loopback port, its configuration, log
 * and storage in a directory of the caller's: a storage kept from an earlier run serves what was pushed then. The
 * demo publishes its container Cargo here; tests reach into the storage to alter what the registry serves.
 */
public final class OciRegistryProcess implements AutoCloseable {

    /** Where Debian installs the registry. */
    public static final String BINARY = "/usr/bin/docker-registry";

    private final Process process;
    private final int port;
    private final Path storage;

    /** Starts the registry with {@code directory} holding its config, log and storage; returns once it answers. */
    public OciRegistryProcess(Path directory) throws IOException, InterruptedException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        storage = Files.createDirectories(directory.resolve("registry-storage"));
        Path config = directory.resolve("registry.yml");
        Files.writeString(config, "version: 0.1\n"
                + "log:\n  level: warn\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n");
        process = new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("registry.log").toFile()))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 250; attempt++) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url().resolve("/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        process.destroyForcibly();
        throw new IOException("docker-registry did not start on " + port + " (see " + directory.resolve("registry.log")
                + ")");
    }

    /** The registry's process id. */
    public long pid() {
        return process.pid();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** host:port, as skopeo names the registry. */
    public String authority() {
        return "127.0.0.1:" + port;
    }

    /** The file in which the registry keeps the blob of {@code digest}. */
    public Path blob(String digest) {
        String hex = digest.substring("sha256:".length());
        return storage.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

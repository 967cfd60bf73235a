package io.archipelago.agent.pipeline;

import io.archipelago.protocol.Subjects;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server (Debian's package) on a free loopback port whose users are a coordinator and one Island per stage of
 * one pipeline job, each allowed only its own subjects: stage k's Island hears stage k and speaks to stage k + 1,
 * the last one to the job's result subject, which only the coordinator hears.
 */
final class PermittedNatsServer implements AutoCloseable {

    private final Process process;
    private final int port;

    PermittedNatsServer(Path directory, String jobId, int stages, String lastIsland) throws IOException,
            InterruptedException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String results = Subjects.results(lastIsland, jobId);
        StringBuilder users = new StringBuilder();
        users.append(user("coordinator", Subjects.stage(jobId, 0), results));
        for (int k = 0; k < stages; k++) {
            String speaks = k + 1 < stages ? Subjects.stage(jobId, k + 1) : results;
            users.append(user(island(k), speaks, Subjects.stage(jobId, k)));
        }
        Path config = directory.resolve("nats.conf");
        Files.writeString(config, "listen: 127.0.0.1:" + port + "\nauthorization {\n  users = [\n" + users
                + "  ]\n}\n");
        process = new ProcessBuilder("nats-server", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("nats-server.log").toFile())
                .start();
        for (int attempt = 0; attempt < 250; attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        process.destroyForcibly();
        throw new IOException("nats-server did not start on " + port);
    }

    static String island(int stage) {
        return "island-" + stage;
    }

    static String password(String user) {
        return "secret-of-" + user;
    }

    private static String user(String name, String publish, String subscribe) {
        return "    {user: \"" + name + "\", password: \"" + password(name) + "\", permissions: {publish: [\""
                + publish + "\"], subscribe: [\"" + subscribe + "\"]}}\n";
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}

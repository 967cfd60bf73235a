package io.archipelago.coordinator.bridge;

import io.archipelago.access.TestCredentials;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The island agent as a host runs it, in a JVM of its own ({@code java ... IslandAgent --name ...}), so that a test
 * can kill it the hard way: {@link #kill()} is {@code kill -9}.
 */
final class AgentProcess implements AutoCloseable {

    private final Process process;

    AgentProcess(Path logDir, String name, URI coordinator, String cargo, long price, int demoPauseMillis)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "io.archipelago.agent.IslandAgent",
                "--name", name, "--country", "DE", "--ask", cargo + "=" + price, "--slots", "2",
                "--coordinator", coordinator.toString(), "--demo-pause-ms", String.valueOf(demoPauseMillis),
                "--state-dir", logDir.resolve(name + "-state").toString()));
        File log = logDir.resolve(name + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        // the key as a host would hand it over without putting it on the command line
        builder.environment().put("ARCHIPELAGO_KEY", TestCredentials.OPERATOR_TOKEN);
        process = builder.start();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no goodbye to the coordinator, no closed connections, as when a machine loses power. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}

package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.protocol.Codec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs a verified process Cargo in the {@link Sandbox}: the job's input as one line of JSON on its standard input,
 * each line it writes to standard output a chunk. It is killed when the job is cancelled or runs past
 * {@code timeout}; a non-zero exit fails the job. Units are the seconds it ran, rounded up, at least one.
 */
final class ProcessRuntime implements JobRuntime {

    private final Sandbox sandbox;
    private final Path executable;
    private final String cargo;
    private final Duration timeout;

    ProcessRuntime(Sandbox sandbox, Path executable, String cargo, Duration timeout) {
        this.sandbox = sandbox;
        this.executable = executable;
        this.cargo = cargo;
        this.timeout = timeout;
    }

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, Output output) throws IOException,
            InterruptedException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(sandbox.command(executable))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(Codec.json().writeValueAsBytes(input));
                stdin.write('\n');
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (output.cancelled() || System.nanoTime() - started > timeout.toNanos()) {
                        throw new IOException("stopped: " + (output.cancelled() ? "cancelled" : "timed out"));
                    }
                    output.chunk(line);
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IOException("the Cargo " + this.cargo + " exited with " + exit);
            }
            long seconds = (System.nanoTime() - started + 999_999_999L) / 1_000_000_000L;
            return Math.max(1, seconds);
        } finally {
            process.destroyForcibly();
        }
    }

    @Override
    public String label() {
        return "process " + cargo + " (bubblewrap + seccomp)";
    }
}

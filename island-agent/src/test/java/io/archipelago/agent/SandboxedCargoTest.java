package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archipelago.protocol.Codec;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process Cargos under the real bubblewrap and seccomp filter (Debian's bubblewrap and python3-seccomp): the job's
 * input arrives on standard input, its lines come back as chunks, and the process sees no network, no host files
 * and no forbidden system calls.
 */
class SandboxedCargoTest {

    @TempDir
    Path directory;

    private Sandbox sandbox;

    @BeforeEach
    void compileTheFilter() throws Exception {
        sandbox = Sandbox.detect(directory).orElseThrow(() -> new IllegalStateException(
                "bubblewrap and python3-seccomp are needed: apt-get install -y bubblewrap python3-seccomp"));
    }

    private List<String> run(String script) throws Exception {
        Path executable = directory.resolve("cargo-" + Integer.toHexString(script.hashCode()));
        Files.writeString(executable, script);
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("r-x------"));
        List<String> chunks = new CopyOnWriteArrayList<>();
        new ProcessRuntime(sandbox, executable, "proc.test", Duration.ofSeconds(30)).run("proc.test",
                Codec.json().createObjectNode().put("prompt", "three little words"), 1, new Output() {
                    @Override
                    public void send(Payload payload) {
                        chunks.add(((Payloads.TextDelta) payload).delta());
                    }

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                });
        return chunks;
    }

    @Test
    void streamsTheLinesACargoWritesForTheInputItReads() throws Exception {
        assertThat(run("#!/bin/sh\nread input\necho \"read: $input\"\necho done\n"))
                .containsExactly("read: {\"prompt\":\"three little words\"}", "done");
    }

    @Test
    void showsTheCargoNothingOfTheHostButUsr() throws Exception {
        assertThat(run("#!/bin/sh\nls /\ntest -e /root && echo root-visible\ntest -e /etc/passwd && echo etc\n"
                + "test -n \"$HOME\" && echo home-set\necho \"path: $PATH\"\n"))
                .doesNotContain("root-visible", "etc", "home", "work", "home-set")
                .contains("usr", "tmp", "proc", "path: /usr/bin");
    }

    @Test
    void refusesSocketsAndNamespacesToTheCargo() throws Exception {
        assertThat(run("#!/bin/sh\n/usr/bin/python3 -c 'import socket; socket.socket()' 2>/dev/null"
                + " || echo no-socket\n/usr/bin/unshare -U true 2>/dev/null || echo no-unshare\n"))
                .containsExactly("no-socket", "no-unshare");
    }

    @Test
    void failsAJobWhoseCargoExitsWithAnError() {
        assertThatThrownBy(() -> run("#!/bin/sh\necho partial\nexit 3\n")).hasMessageContaining("exited with 3");
    }
}

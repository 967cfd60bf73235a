package io.archipelago.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.archipelago.protocol.Codec;
import io.archipelago.protocol.Payload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (its name keeps it out of {@code verify}): times each step of a container Cargo run once, cold then
 * warm, against a real registry and runc, and prints them beside a bubblewrap {@link ProcessRuntime} run of the
 * same job as the anchor. Run it with
 * {@code ./mvnw -B -o -q -pl island-agent -am -Dtest=ContainerTimingsDriver -Dsurefire.failIfNoSpecifiedTests=false
 * verify}.
 */
class ContainerTimingsDriver {

    private static final String SCRIPT = "read input; echo \"read: $input\"";

    @TempDir
    Path directory;

    @Test
    void printsTheStepsOfAContainerRunBesideAProcessRun() throws Exception {
        assumeTrue(ContainerRuntime.available(), "container Cargos need root, runc and umoci");
        Path work = Files.createDirectories(directory.resolve("work"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        try (OciRegistryProcess registry = new OciRegistryProcess(directory)) {
            var key = CosignStyleSignatures.newKey();
            ImageReference image = new BusyboxImages(directory, registry.url(), ContainerCargoFixture.LOOP_DEVICE)
                    .push("cargos/echo", SCRIPT);
            new CosignStyleSignatures(registry.url()).sign(image, image, key);
            Sandbox sandbox = Sandbox.detect(directory).orElseThrow();
            Path executable = directory.resolve("echo-cargo");
            Files.writeString(executable, "#!/bin/sh\n" + SCRIPT + "\n");
            Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("r-x------"));
            for (String round : List.of("cold", "warm")) {
                ContainerRuntime container = new ContainerRuntime(new OciRegistry(registry.url(),
                        Duration.ofSeconds(10)), image, CosignImageCheck.trusting(List.of(
                        CosignStyleSignatures.pem(key))), work, ContainerLimits.DEFAULT, Duration.ofSeconds(30),
                        (step, nanos) -> print(round, "container: " + step, nanos));
                long started = System.nanoTime();
                container.run("echo", input(), 1, output());
                print(round, "container: whole job", System.nanoTime() - started);
                started = System.nanoTime();
                new ProcessRuntime(sandbox, executable, "echo", Duration.ofSeconds(30)).run("echo", input(), 1,
                        output());
                print(round, "anchor: process Cargo under bubblewrap, whole job", System.nanoTime() - started);
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode input() {
        return Codec.json().createObjectNode().put("prompt", "three little words");
    }

    private static void print(String round, String step, long nanos) {
        System.out.println(String.format(Locale.ROOT, "%-5s %-55s %8.1f ms", round, step, nanos / 1e6));
    }

    private static Output output() {
        return new Output() {
            @Override
            public void send(Payload payload) {
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        };
    }
}

package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.archipelago.agent.CargoVerifier.CargoRefused;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobOffer;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container Cargos for real: a real OCI registry (docker-registry), a busybox image built with umoci and pushed with
 * skopeo, signed in cosign's format, pulled by digest and run by runc under the seccomp profile. Skipped only where
 * runc cannot run (not root, or runc/umoci/skopeo/docker-registry missing); CI installs them all.
 */
class ContainerCargoTest {

    @TempDir
    static Path shared;

    @TempDir
    Path work;

    private static OciRegistryProcess registry;
    private static BusyboxImages images;
    private static CosignStyleSignatures signer;
    private static KeyPair publisher;

    @BeforeAll
    static void startTheRegistryAndBuildTheImage() throws Exception {
        List<String> missing = Stream.of("/usr/sbin/runc", "/usr/bin/umoci", "/usr/bin/skopeo",
                "/usr/bin/docker-registry").filter(tool -> !Files.isExecutable(Path.of(tool))).toList();
        assumeTrue(missing.isEmpty() && ContainerRuntime.available(), "container Cargos need root and runc, umoci,"
                + " skopeo, docker-registry (apt-get install -y runc umoci skopeo docker-registry busybox-static);"
                + " missing here: " + missing + ", user " + System.getProperty("user.name"));
        registry = new OciRegistryProcess(shared);
        images = new BusyboxImages(shared, registry.url(), ContainerCargoFixture.LOOP_DEVICE);
        signer = new CosignStyleSignatures(registry.url());
        publisher = CosignStyleSignatures.newKey();
    }

    @AfterAll
    static void stopTheRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void letTheContainersRootReachItsBundle() throws Exception {
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @AfterEach
    void leavesNoContainerNorBundleBehind() throws Exception {
        Path state = work.resolve("runc");
        if (Files.isDirectory(state)) {
            Process list = new ProcessBuilder(ContainerRuntime.RUNC, "--root", state.toString(), "list", "-q")
                    .redirectErrorStream(true).start();
            assertThat(new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isBlank();
        }
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsOnly("runc");
        }
    }

    private ImageReference signedImage(String script) throws Exception {
        ImageReference image = images.push("cargos/probe", script);
        signer.sign(image, image, publisher);
        return image;
    }

    private ContainerRuntime runtime(ImageReference image, ContainerLimits limits, Duration timeout) {
        return new ContainerRuntime(new OciRegistry(registry.url(), Duration.ofSeconds(10)), image,
                CosignImageCheck.trusting(List.of(CosignStyleSignatures.pem(publisher))), work, limits, timeout,
                ContainerRuntime.Steps.NONE);
    }

    private List<String> run(ImageReference image) throws Exception {
        return run(runtime(image, ContainerLimits.DEFAULT, Duration.ofSeconds(30)), false);
    }

    private static List<String> run(ContainerRuntime runtime, boolean cancelAfterFirstLine) throws Exception {
        List<String> chunks = new CopyOnWriteArrayList<>();
        runtime.run("container.test", Codec.json().createObjectNode().put("prompt", "three little words"), 1,
                new Output() {
                    @Override
                    public void send(Payload payload) {
                        chunks.add(((Payloads.TextDelta) payload).delta());
                    }

                    @Override
                    public boolean cancelled() {
                        return cancelAfterFirstLine && !chunks.isEmpty();
                    }
                });
        return chunks;
    }

    @Test
    void runsTheSignedImageAndStreamsTheLinesItWritesForTheInputItReads() throws Exception {
        assertThat(run(signedImage("read input; echo \"read: $input\"; echo done")))
                .containsExactly("read: {\"prompt\":\"three little words\"}", "done");
    }

    @Test
    void runsAContainerJobOfferedOverNatsAndRefusesATamperedOneThere() throws Exception {
        ImageReference echo = signedImage("read input; echo \"read: $input\"");
        ImageReference tampered = signedImage("echo tampered");
        Path manifest = registry.blob(tampered.digest());
        Files.writeString(manifest, Files.readString(manifest) + " ");
        JobRuntime cargos = new CargoRuntimes(Map.of("container.echo", runtime(echo, ContainerLimits.DEFAULT,
                Duration.ofSeconds(30)), "container.tampered", runtime(tampered, ContainerLimits.DEFAULT,
                Duration.ofSeconds(30))), new DemoRuntime("box-1", Duration.ZERO));
        try (NatsServerProcess nats = new NatsServerProcess(shared);
             Connection coordinator = Nats.connect(nats.url()); Connection island = Nats.connect(nats.url());
             JobRunner runner = new JobRunner("box-1", island, cargos, Set.of("container.echo",
                     "container.tampered"), 2)) {
            runner.start();
            List<JobOutput> outputs = new CopyOnWriteArrayList<>();
            coordinator.createDispatcher(message -> {
                try {
                    outputs.add(Codec.decode(message.getData(), JobOutput.class));
                } catch (Exception malformed) {
                    throw new IllegalStateException(malformed);
                }
            }).subscribe("results.box-1.>");
            coordinator.flush(Duration.ofSeconds(10));
            for (String job : List.of("echo", "tampered")) {
                coordinator.request(Subjects.jobs("box-1"), Codec.encode(new JobOffer(Codec.VERSION, "job-" + job,
                        "container." + job, Codec.json().createObjectNode().put("prompt", "over nats"), 10,
                        System.currentTimeMillis() + 60_000)), Duration.ofSeconds(10));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> outputs.stream()
                    .filter(out -> out.kind() != JobOutput.Kind.CHUNK).count() == 2);
            assertThat(outputs.stream().filter(out -> out.jobId().equals("job-echo")))
                    .extracting(JobOutput::kind, JobOutput::text)
                    .containsExactly(tuple(JobOutput.Kind.CHUNK, "read: {\"prompt\":\"over nats\"}"),
                            tuple(JobOutput.Kind.DONE, null));
            assertThat(outputs.stream().filter(out -> out.jobId().equals("job-tampered")))
                    .singleElement().satisfies(out -> assertThat(out.kind()).isEqualTo(JobOutput.Kind.ERROR))
                    .extracting(JobOutput::error).asString().contains("asked for");
        }
    }

    @Test
    void refusesAForbiddenSystemCallInsideTheContainer() throws Exception {
        List<String> lines = run(signedImage("grep '^Seccomp:' /proc/self/status; "
                + "unshare -U true 2>&1 || echo unshare-refused; mkdir /tmp/allowed && echo mkdir-allowed"));
        assertThat(lines).contains("Seccomp:\t2", "unshare: unshare(0x10000000): Operation not permitted",
                "unshare-refused", "mkdir-allowed");
    }

    @Test
    void keepsTheRootFileSystemReadOnly() throws Exception {
        assertThat(run(signedImage("touch /bin/new 2>&1; mkdir /new 2>&1; chmod 777 /bin/busybox 2>&1;"
                + " echo y > /tmp/f && cat /tmp/f")))
                .containsExactly("touch: /bin/new: Read-only file system", "mkdir: can't create directory '/new':"
                        + " Read-only file system", "chmod: /bin/busybox: Read-only file system", "y");
    }

    @Test
    void opensNoHostDeviceADeviceNodeInTheImageNames() throws Exception {
        assertThat(run(signedImage("head -c 1 /bin/loop0 2>&1; echo x > /dev/null && echo null-works")))
                .containsExactly("head: /bin/loop0: Operation not permitted", "null-works");
    }

    @Test
    void givesTheContainerNoNetworkButLoopbackAndNoInternetSockets() throws Exception {
        List<String> lines = run(signedImage("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sed 's/^/if:/';"
                + " nc -w 1 127.0.0.1 80 </dev/null 2>&1 || echo no-socket"));
        assertThat(lines.stream().filter(line -> line.startsWith("if:"))).containsExactly("if:lo");
        assertThat(lines).contains("no-socket").anyMatch(line -> line.contains("Operation not permitted"));
    }

    @Test
    void showsTheContainerNothingOfTheHost() throws Exception {
        List<String> lines = run(signedImage("ls /; echo uid_map $(cat /proc/self/uid_map); echo pid $$;"
                + " echo caps $(grep '^CapEff:' /proc/self/status | cut -f2); echo host $(hostname)"));
        assertThat(lines).startsWith("bin", "dev", "proc", "tmp")
                .doesNotContain("etc", "home", "root", "work", "usr")
                .contains("uid_map 0 " + RuncBundle.HOST_ID + " " + RuncBundle.ID_RANGE, "pid 1",
                        "caps 0000000000000000", "host cargo");
    }

    @Test
    void limitsTheProcessesAContainerMayStart() throws Exception {
        ContainerLimits fewProcesses = new ContainerLimits(64L << 20, 8, 500, 1L << 20);
        // the shell that forks dies at the first fork refused; builtins only after it, as no process is left
        List<String> lines = run(runtime(signedImage("sh -c 'i=0; while [ $i -lt 20 ]; do sleep 5 & i=$((i+1));"
                + " echo $i > /tmp/started; done' 2>/dev/null; read started < /tmp/started; echo started $started"),
                fewProcesses, Duration.ofSeconds(30)), false);
        assertThat(lines).singleElement().satisfies(line -> assertThat(line).startsWith("started ")
                .satisfies(started -> assertThat(Integer.parseInt(started.substring(8))).isBetween(1, 7)));
    }

    @Test
    void killsAContainerThatHoldsMoreMemoryThanItsLimit() throws Exception {
        ImageReference image = signedImage("echo before; x=$(head -c 33554432 /dev/zero | tr '\\0' a);"
                + " echo after ${#x}");
        assertThat(run(runtime(image, ContainerLimits.DEFAULT, Duration.ofSeconds(30)), false))
                .containsExactly("before", "after 33554432");
        ContainerLimits littleMemory = new ContainerLimits(16L << 20, 16, 1000, 1L << 20);
        List<String> chunks = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> runtime(image, littleMemory, Duration.ofSeconds(30)).run("container.test",
                Codec.json().createObjectNode(), 1, new Output() {
                    @Override
                    public void send(Payload payload) {
                        chunks.add(((Payloads.TextDelta) payload).delta());
                    }

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                })).hasMessageContaining("exited with 137");
        assertThat(chunks).containsExactly("before");
    }

    @Test
    void refusesAnUnsignedImage() throws Exception {
        ImageReference unsigned = images.push("cargos/unsigned", "echo ran");
        assertThatThrownBy(() -> run(unsigned)).isInstanceOf(CargoRefused.class).hasMessageContaining("unsigned");
    }

    @Test
    void refusesAnImageSignedByAKeyThisIslandDoesNotTrust() throws Exception {
        ImageReference image = images.push("cargos/stranger", "echo ran");
        signer.sign(image, image, CosignStyleSignatures.newKey());
        assertThatThrownBy(() -> run(image)).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("no signature of " + image + " verifies under a trusted key");
    }

    @Test
    void refusesAnImageCarryingTheSignatureOfAnotherImage() throws Exception {
        ImageReference genuine = signedImage("echo genuine");
        ImageReference retagged = images.push("cargos/probe", "echo impostor");
        signer.sign(genuine, retagged, publisher);
        assertThatThrownBy(() -> run(retagged)).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("names digest " + genuine.digest());
    }

    @Test
    void refusesAnImageWhoseManifestDoesNotMatchItsDigest() throws Exception {
        ImageReference image = signedImage("echo original");
        Path manifest = registry.blob(image.digest());
        Files.writeString(manifest, Files.readString(manifest).replace("\"schemaVersion\":2", "\"schemaVersion\": 2"));
        assertThatThrownBy(() -> run(image)).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("is not the " + image.digest() + " asked for");
    }

    @Test
    void refusesAnImageWhoseConfigWasAltered() throws Exception {
        ImageReference image = signedImage("echo original");
        String config = Codec.json().readTree(registry.blob(image.digest()).toFile()).path("config")
                .path("digest").asText();
        Path blob = registry.blob(config);
        Files.writeString(blob, Files.readString(blob).replace("echo original", "echo altered"));
        assertThatThrownBy(() -> run(image)).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("is not the " + config + " its manifest names");
    }

    @Test
    void killsAContainerPastItsDeadline() throws Exception {
        ContainerRuntime runtime = runtime(signedImage("echo started; sleep 60; echo never"), ContainerLimits.DEFAULT,
                Duration.ofSeconds(2));
        assertThatThrownBy(() -> run(runtime, false)).hasMessageContaining("timed out");
    }

    @Test
    void killsACancelledContainer() throws Exception {
        ContainerRuntime runtime = runtime(signedImage("echo started; sleep 60; echo never"), ContainerLimits.DEFAULT,
                Duration.ofSeconds(60));
        assertThatThrownBy(() -> run(runtime, true)).hasMessageContaining("cancelled");
    }

    @Test
    void startsNoContainerForAJobCancelledWhileItsImageIsPulled() throws Exception {
        ContainerRuntime runtime = runtime(signedImage("echo ran"), ContainerLimits.DEFAULT, Duration.ofSeconds(30));
        List<String> chunks = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> runtime.run("container.test", Codec.json().createObjectNode(), 1, new Output() {
            @Override
            public void send(Payload payload) {
                chunks.add(((Payloads.TextDelta) payload).delta());
            }

            @Override
            public boolean cancelled() {
                return true;
            }
        })).hasMessageContaining("cancelled");
        assertThat(chunks).isEmpty();
    }

    @Test
    void failsAJobWhoseContainerExitsWithAnError() throws Exception {
        assertThatThrownBy(() -> run(signedImage("echo partial; exit 3"))).hasMessageContaining("exited with 3");
    }
}

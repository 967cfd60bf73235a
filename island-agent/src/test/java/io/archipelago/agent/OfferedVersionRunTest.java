package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.archipelago.agent.CargoVerifier.CargoRefused;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.OfferedVersion;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.cosign.CosignSignatures;
import io.archipelago.protocol.cosign.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container Cargo run for a job offered with its Cargo version: the Island verifies the offer's signature against
 * the offer's publisher key (one this host pinned) and pulls exactly the offered digest from a real registry
 * (docker-registry), whatever image the host configured for the Cargo and whatever the registry stores beside it.
 */
class OfferedVersionRunTest {

    @TempDir
    static Path shared;

    @TempDir
    Path work;

    private static OciRegistryProcess registry;
    private static BusyboxImages images;
    private static CosignStyleSignatures signer;
    private static KeyPair publisher;
    private static ImageReference configured;

    @BeforeAll
    static void startTheRegistryAndBuildTheImage() throws Exception {
        List<String> missing = Stream.of("/usr/sbin/runc", "/usr/bin/umoci", "/usr/bin/skopeo",
                "/usr/bin/docker-registry").filter(tool -> !Files.isExecutable(Path.of(tool))).toList();
        assumeTrue(missing.isEmpty() && ContainerRuntime.available(), "container Cargos need root and runc, umoci,"
                + " skopeo, docker-registry; missing here: " + missing + ", user " + System.getProperty("user.name"));
        registry = new OciRegistryProcess(shared);
        images = new BusyboxImages(shared, registry.url(), ContainerCargoFixture.LOOP_DEVICE);
        signer = new CosignStyleSignatures(registry.url());
        publisher = CosignStyleSignatures.newKey();
        configured = images.push("cargos/echo", "echo configured");
        signer.sign(configured, configured, publisher);
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

    /** The version as the coordinator offers it: {@code signedBy}'s signature over a payload naming {@code named}. */
    private static OfferedVersion offered(ImageReference image, String named, KeyPair signedBy, KeyPair claimed) {
        String repository = registry.url().getAuthority() + "/" + image.repository();
        byte[] payload = CosignStyleSignatures.payload(repository, named).getBytes(StandardCharsets.UTF_8);
        return new OfferedVersion(OfferedVersion.VERSION, "1.0.0", repository, image.digest(),
                Base64.getEncoder().encodeToString(payload), CosignSignatures.sign(signedBy.getPrivate(), payload),
                SigningKeys.spki(claimed.getPublic()));
    }

    private static OfferedVersion offered(ImageReference image) {
        return offered(image, image.digest(), publisher, publisher);
    }

    private List<String> run(@Nullable OfferedVersion version, List<KeyPair> pinned) throws Exception {
        return run(configured, version, pinned);
    }

    /** A run of a Cargo whose host configured {@code own} for it (null: none, published versions only). */
    private List<String> run(@Nullable ImageReference own, @Nullable OfferedVersion version, List<KeyPair> pinned)
            throws Exception {
        ContainerRuntime runtime = new ContainerRuntime(new OciRegistry(registry.url(), Duration.ofSeconds(10)),
                own, CosignImageCheck.trusting(pinned.stream().map(CosignStyleSignatures::pem).toList()),
                work, ContainerLimits.DEFAULT, Duration.ofSeconds(30), ContainerRuntime.Steps.NONE);
        List<String> chunks = new CopyOnWriteArrayList<>();
        runtime.run("container.test", Codec.json().createObjectNode().put("prompt", "hi"), 1, version,
                new Output() {
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
    void runsTheOfferedDigestVerifiedAgainstTheOfferedPublisherKey() throws Exception {
        // not signed in the registry at all: the offer's signature is the one that counts
        ImageReference version = images.push("cargos/echo", "echo version two");

        assertThat(run(offered(version), List.of(publisher))).containsExactly("version two");
        assertThat(run(offered(version), List.of())).containsExactly("version two");
        assertThat(run(null, List.of(publisher))).containsExactly("configured");
    }

    @Test
    void aCargoWithoutAnImageOfItsOwnRunsEachOfferedVersionAndRefusesAnOfferWithoutOne() throws Exception {
        ImageReference first = images.push("cargos/echo", "echo first");
        ImageReference second = images.push("cargos/echo", "echo second");

        assertThat(run(null, offered(first), List.of())).containsExactly("first");
        assertThat(run(null, offered(second), List.of())).containsExactly("second");
        assertThatThrownBy(() -> run(null, null, List.of())).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("this offer names none");
    }

    @Test
    void refusesAPublisherKeyTheHostDidNotPin() throws Exception {
        KeyPair stranger = CosignStyleSignatures.newKey();
        OfferedVersion version = offered(configured, configured.digest(), stranger, stranger);

        assertThatThrownBy(() -> run(version, List.of(publisher))).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("publisher key this host did not pin");
    }

    @Test
    void refusesASignatureThatIsNotThePublishersKeys() throws Exception {
        OfferedVersion version = offered(configured, configured.digest(), CosignStyleSignatures.newKey(), publisher);

        assertThatThrownBy(() -> run(version, List.of(publisher))).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("does not verify against the publisher's key");
    }

    @Test
    void refusesAnOfferWhosePayloadNamesAnotherDigest() throws Exception {
        ImageReference other = images.push("cargos/echo", "echo other");
        OfferedVersion version = offered(other, configured.digest(), publisher, publisher);

        assertThatThrownBy(() -> run(version, List.of(publisher))).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("names digest " + configured.digest());
    }

    @Test
    void refusesAVersionWhoseImageWasAlteredInTheRegistryAfterPublication() throws Exception {
        ImageReference version = images.push("cargos/echo", "echo published");
        OfferedVersion offer = offered(version);
        String config = Codec.json().readTree(registry.blob(version.digest()).toFile()).path("config")
                .path("digest").asText();
        Path blob = registry.blob(config);
        Files.writeString(blob, Files.readString(blob).replace("echo published", "echo replaced"));

        assertThatThrownBy(() -> run(offer, List.of(publisher))).isInstanceOf(CargoRefused.class)
                .hasMessageContaining("is not the " + config + " its manifest names");
    }

    @Test
    void refusesAVersionWhoseDigestTheRegistryNoLongerHolds() throws Exception {
        ImageReference version = images.push("cargos/echo", "echo removed");
        OfferedVersion offer = offered(version);
        Files.delete(registry.blob(version.digest()));

        assertThatThrownBy(() -> run(offer, List.of(publisher))).isInstanceOf(Exception.class)
                .hasMessageContaining(version.digest().substring("sha256:".length(), 20));
    }
}

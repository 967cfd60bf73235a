package io.archipelago.protocol.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cosign format against keys and signatures made afresh by OpenSSL, not by the JDK, so the format is not only
 * self-consistent: a P-256 key from {@code openssl ecparam}, a DER signature from {@code openssl dgst -sha256 -sign}
 * over a payload written here by hand, not by {@link SimpleSigning}.
 */
class CosignSignaturesOpenSslTest {

    private static final String REPOSITORY = "r/cargos/echo";
    private static final ImageDigest IMAGE = new ImageDigest("sha256:" + "ab".repeat(32));
    private static final ImageDigest OTHER = new ImageDigest("sha256:" + "cd".repeat(32));

    @TempDir
    Path directory;

    private ECPublicKey publicKey;

    @BeforeEach
    void makeAKeyWithOpenSsl() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
        openssl("ec", "-in", "key.pem", "-pubout", "-out", "key.pub");
        publicKey = SigningKeys.parse(Files.readString(directory.resolve("key.pub")));
    }

    private static String payload(String dockerReference, ImageDigest digest) {
        return "{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference + "\"},"
                + "\"image\":{\"docker-manifest-digest\":\"" + digest + "\"},"
                + "\"type\":\"cosign container image signature\"},\"optional\":null}";
    }

    /** The Base64 of the DER signature OpenSSL makes over {@code payload}. */
    private String signedByOpenSsl(String payload) throws Exception {
        Files.writeString(directory.resolve("payload.json"), payload);
        openssl("dgst", "-sha256", "-sign", "key.pem", "-out", "payload.sig", "payload.json");
        return Base64.getEncoder().encodeToString(Files.readAllBytes(directory.resolve("payload.sig")));
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

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void acceptsASignatureOpenSslMadeOverThePayloadNamingTheDigest() throws Exception {
        String payload = payload(REPOSITORY, IMAGE);
        String signature = signedByOpenSsl(payload);

        assertThat(CosignSignatures.verify(publicKey, bytes(payload), signature, REPOSITORY, IMAGE))
                .isEqualTo(new SimpleSigning.Claim(REPOSITORY, IMAGE));
    }

    @Test
    void refusesAValidSignatureWhosePayloadNamesAnotherDigest() throws Exception {
        String payload = payload(REPOSITORY, OTHER);
        String signature = signedByOpenSsl(payload);

        assertThatThrownBy(() -> CosignSignatures.verify(publicKey, bytes(payload), signature, REPOSITORY, IMAGE))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("names digest " + OTHER);
    }

    @Test
    void refusesAValidSignatureOfAPayloadOfAnotherType() throws Exception {
        String payload = payload(REPOSITORY, IMAGE).replace("cosign container image signature", "something else");
        String signature = signedByOpenSsl(payload);

        assertThatThrownBy(() -> CosignSignatures.verify(publicKey, bytes(payload), signature, REPOSITORY, IMAGE))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("'something else'");
    }

    @Test
    void refusesAPayloadAlteredAfterSigning() throws Exception {
        String signed = payload(REPOSITORY, OTHER);
        String signature = signedByOpenSsl(signed);
        String altered = signed.replace(OTHER.value(), IMAGE.value());

        assertThatThrownBy(() -> CosignSignatures.verify(publicKey, bytes(altered), signature, REPOSITORY, IMAGE))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("does not verify");
    }

    @Test
    void refusesAnUnsignedImageAndKeysThatAreNotP256() throws Exception {
        String payload = payload(REPOSITORY, IMAGE);
        assertThatThrownBy(() -> CosignSignatures.verify(publicKey, bytes(payload), "", REPOSITORY, IMAGE))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("unsigned");

        openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "p384.pem");
        openssl("ec", "-in", "p384.pem", "-pubout", "-out", "p384.pub");
        String p384 = Files.readString(directory.resolve("p384.pub"));
        assertThatThrownBy(() -> SigningKeys.parse(p384)).isInstanceOf(SignatureRefused.class)
                .hasMessageContaining("P-256");
    }
}

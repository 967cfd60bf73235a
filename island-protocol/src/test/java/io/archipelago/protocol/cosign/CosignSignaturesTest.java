package io.archipelago.protocol.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The cosign format, both with keys generated here and against a signature made independently: {@code cosign/}
 * in the test resources holds a P-256 public key, a simple-signing payload and its signature, produced by
 * {@code openssl ecparam -name prime256v1 -genkey}, {@code openssl ec -pubout} and
 * {@code openssl dgst -sha256 -sign key.pem payload.json | base64 -w0} (the private key was then deleted).
 */
class CosignSignaturesTest {

    private static final String REPOSITORY = "registry.example/cargo/echo";
    private static final ImageDigest DIGEST =
            new ImageDigest("sha256:4e388ab32b10dc8dbc7e28144f552830adc74787c1e2c0824032078a79f227fb");
    private static final ImageDigest OTHER =
            new ImageDigest("sha256:0000000000000000000000000000000000000000000000000000000000000001");

    @Test
    void verifiesASignatureMadeByOpenssl() throws IOException {
        ECPublicKey key = SigningKeys.parse(resource("key.pub"));
        byte[] payload = resource("payload.json").getBytes(StandardCharsets.UTF_8);

        SimpleSigning.Claim claim = CosignSignatures.verify(key, payload, resource("payload.sig"), REPOSITORY,
                DIGEST);

        assertThat(claim).isEqualTo(new SimpleSigning.Claim(REPOSITORY, DIGEST));
    }

    @Test
    void refusesTheOpensslSignatureOverAnotherDigest() throws IOException {
        ECPublicKey key = SigningKeys.parse(resource("key.pub"));
        byte[] payload = resource("payload.json").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CosignSignatures.verify(key, payload, resource("payload.sig"), REPOSITORY, OTHER))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("names digest");
    }

    @Test
    void refusesTheOpensslSignatureOnceThePayloadIsTampered() throws IOException {
        ECPublicKey key = SigningKeys.parse(resource("key.pub"));
        byte[] payload = resource("payload.json").replace("openssl", "someone").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CosignSignatures.verify(key, payload, resource("payload.sig"), REPOSITORY, DIGEST))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("does not verify");
    }

    @Test
    void signsAndVerifiesAPayloadItBuilds() throws GeneralSecurityException {
        KeyPair pair = p256();
        byte[] payload = SimpleSigning.payload(REPOSITORY, DIGEST, Map.of());

        String signature = CosignSignatures.sign(pair.getPrivate(), payload);

        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("{\"critical\":{\"identity\":"
                + "{\"docker-reference\":\"registry.example/cargo/echo\"},\"image\":{\"docker-manifest-digest\":\""
                + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
        assertThat(CosignSignatures.verify(pair.getPublic(), payload, signature, REPOSITORY, DIGEST).digest())
                .isEqualTo(DIGEST);
    }

    @Test
    void refusesAnotherKeysSignature() throws GeneralSecurityException {
        byte[] payload = SimpleSigning.payload(REPOSITORY, DIGEST, Map.of());
        String signature = CosignSignatures.sign(p256().getPrivate(), payload);

        assertThatThrownBy(() -> CosignSignatures.verify(p256().getPublic(), payload, signature, REPOSITORY, DIGEST))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("publisher's key");
    }

    @Test
    void refusesAnUnsignedImageAndAnotherRepository() throws GeneralSecurityException {
        KeyPair pair = p256();
        byte[] payload = SimpleSigning.payload(REPOSITORY, DIGEST, Map.of());
        String signature = CosignSignatures.sign(pair.getPrivate(), payload);

        assertThatThrownBy(() -> CosignSignatures.verify(pair.getPublic(), payload, "", REPOSITORY, DIGEST))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("unsigned");
        assertThatThrownBy(() -> CosignSignatures.verify(pair.getPublic(), payload, signature, "elsewhere/echo",
                DIGEST)).isInstanceOf(SignatureRefused.class).hasMessageContaining("repository");
    }

    @Test
    void refusesAPayloadOfAnotherType() throws GeneralSecurityException {
        KeyPair pair = p256();
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + REPOSITORY + "\"},\"image\":"
                + "{\"docker-manifest-digest\":\"" + DIGEST + "\"},\"type\":\"atomic container signature\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String signature = CosignSignatures.sign(pair.getPrivate(), payload);

        assertThatThrownBy(() -> CosignSignatures.verify(pair.getPublic(), payload, signature, REPOSITORY, DIGEST))
                .isInstanceOf(SignatureRefused.class).hasMessageContaining("critical.type");
    }

    @Test
    void readsTheSameKeyFromPemAndJwk() throws GeneralSecurityException {
        ECPublicKey key = (ECPublicKey) p256().getPublic();
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + url.encodeToString(coordinate(key, true))
                + "\",\"y\":\"" + url.encodeToString(coordinate(key, false)) + "\"}";

        assertThat(SigningKeys.spki(SigningKeys.parse(jwk))).isEqualTo(SigningKeys.spki(key));
        assertThat(SigningKeys.spki(SigningKeys.parse(SigningKeys.pem(key)))).isEqualTo(SigningKeys.spki(key));
    }

    @Test
    void refusesKeysOfOtherCurvesAndShapes() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        String p384 = SigningKeys.pem(generator.generateKeyPair().getPublic());

        assertThatThrownBy(() -> SigningKeys.parse(p384)).isInstanceOf(SignatureRefused.class)
                .hasMessageContaining("P-256");
        assertThatThrownBy(() -> SigningKeys.parse("ssh-ed25519 AAAA")).isInstanceOf(SignatureRefused.class);
        assertThatThrownBy(() -> SigningKeys.parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}"))
                .isInstanceOf(SignatureRefused.class);
    }

    @Test
    void namesTheSignatureTagAfterTheDigest() {
        assertThat(DIGEST.signatureTag())
                .isEqualTo("sha256-4e388ab32b10dc8dbc7e28144f552830adc74787c1e2c0824032078a79f227fb.sig");
        assertThatThrownBy(() -> new ImageDigest("latest")).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] coordinate(ECPublicKey key, boolean x) {
        byte[] raw = (x ? key.getW().getAffineX() : key.getW().getAffineY()).toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
        return fixed;
    }

    private static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                CosignSignaturesTest.class.getResourceAsStream("/cosign/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

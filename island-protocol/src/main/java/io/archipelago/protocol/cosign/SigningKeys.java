package io.archipelago.protocol.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Publishers' signing keys: ECDSA P-256 public keys, as cosign makes them, read from PEM ({@code -----BEGIN PUBLIC
 * KEY-----}, SubjectPublicKeyInfo) or from a JWK ({@code {"kty":"EC","crv":"P-256","x":..,"y":..}}), and kept as the
 * Base64 of their DER SubjectPublicKeyInfo, one spelling per key.
 */
public final class SigningKeys {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ECParameterSpec P256 = p256();

    private SigningKeys() {
    }

    /**
     * The key in {@code text}, PEM or JWK.
     *
     * @throws SignatureRefused when it is neither, or not an ECDSA P-256 public key
     */
    public static ECPublicKey parse(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            return fromJwk(trimmed);
        }
        if (trimmed.startsWith("-----BEGIN PUBLIC KEY-----") && trimmed.endsWith("-----END PUBLIC KEY-----")) {
            String body = trimmed.substring("-----BEGIN PUBLIC KEY-----".length(),
                    trimmed.length() - "-----END PUBLIC KEY-----".length()).replaceAll("\\s", "");
            return fromSpki(body);
        }
        throw new SignatureRefused("a signing key is a PEM public key (-----BEGIN PUBLIC KEY-----) or an EC JWK");
    }

    /** The key whose DER SubjectPublicKeyInfo is {@code base64}; refused unless it is ECDSA P-256. */
    public static ECPublicKey fromSpki(String base64) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            throw new SignatureRefused("the signing key is not Base64", notBase64);
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notEc) {
            throw new SignatureRefused("the signing key is not an EC public key", notEc);
        }
        return requireP256((ECPublicKey) key);
    }

    /** The Base64 of {@code key}'s DER SubjectPublicKeyInfo. */
    public static String spki(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** {@code key} as PEM, 64 characters a line. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static ECPublicKey fromJwk(String text) {
        JsonNode jwk;
        try {
            jwk = JSON.readTree(text);
        } catch (IOException notJson) {
            throw new SignatureRefused("the signing key looks like a JWK but is not JSON");
        }
        if (!"EC".equals(jwk.path("kty").asText()) || !"P-256".equals(jwk.path("crv").asText())) {
            throw new SignatureRefused("a JWK signing key has kty EC and crv P-256");
        }
        try {
            BigInteger x = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("x").asText()));
            BigInteger y = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("y").asText()));
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
            return requireP256((ECPublicKey) key);
        } catch (IllegalArgumentException | GeneralSecurityException malformed) {
            throw new SignatureRefused("the JWK's x and y are not a point of P-256", malformed);
        }
    }

    private static ECPublicKey requireP256(ECPublicKey key) {
        ECParameterSpec params = key.getParams();
        if (!params.getCurve().equals(P256.getCurve()) || !params.getOrder().equals(P256.getOrder())
                || !params.getGenerator().equals(P256.getGenerator())) {
            throw new SignatureRefused("the signing key is not on P-256 (secp256r1), the curve cosign uses");
        }
        return key;
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("every JDK 17 knows secp256r1", impossible);
        }
    }
}

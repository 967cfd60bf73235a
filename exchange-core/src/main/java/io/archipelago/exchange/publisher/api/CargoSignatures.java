package io.archipelago.exchange.publisher.api;

/**
 * The signature format Cargo versions are published in (cosign's: a simple-signing payload naming the image digest,
 * ECDSA P-256 / SHA-256), kept outside the domain so that the coordinator and every Island check it with the same
 * code. Both methods refuse by throwing {@link IllegalArgumentException} with a message saying why.
 */
public interface CargoSignatures {

    /**
     * The one spelling of the public key in {@code text} (PEM or JWK): Base64 of its DER SubjectPublicKeyInfo.
     *
     * @throws IllegalArgumentException when it is not an ECDSA P-256 public key
     */
    String signingKey(String text);

    /**
     * Checks that {@code signature} (Base64 DER) is {@code signingKey}'s over {@code payload} (the Base64 of the
     * simple-signing payload's bytes) and that the payload names {@code digest} in {@code repository}.
     *
     * @throws IllegalArgumentException when the image is unsigned, the signature is another key's or malformed, or
     *                                  the payload names another image
     */
    void verify(String signingKey, String repository, String digest, String payload, String signature);

    /**
     * Checks that {@code signature} (Base64 DER ECDSA over SHA-256) is {@code signingKey}'s over {@code challenge}:
     * the holder of the key signed it.
     *
     * @throws IllegalArgumentException when it is not
     */
    void verifyPossession(String signingKey, byte[] challenge, String signature);
}

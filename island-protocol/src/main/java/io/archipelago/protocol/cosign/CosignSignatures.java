package io.archipelago.protocol.cosign;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs and verifies cosign image signatures: ECDSA P-256 with SHA-256 over the simple-signing payload's bytes, the
 * signature DER-encoded and Base64'd, as cosign stores it in the {@code dev.cosignproject.cosign/signature} annotation
 * of the {@code sha256-<digest>.sig} artifact. The coordinator verifies with this at publication, each Island before
 * each run.
 */
public final class CosignSignatures {

    private static final String ALGORITHM = "SHA256withECDSA";

    private CosignSignatures() {
    }

    /** The Base64 DER signature of {@code payload} under {@code key}. */
    public static String sign(PrivateKey key, byte[] payload) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(payload);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException wrongKey) {
            throw new IllegalArgumentException("cannot sign with this key: " + wrongKey.getMessage(), wrongKey);
        }
    }

    /**
     * Whether {@code signature} (Base64 DER ECDSA over SHA-256) is {@code key}'s over {@code bytes}; a malformed
     * signature is not.
     */
    public static boolean signs(PublicKey key, byte[] bytes, String signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(bytes);
            return verifier.verify(Base64.getDecoder().decode(signature.strip()));
        } catch (GeneralSecurityException | IllegalArgumentException malformed) {
            return false;
        }
    }

    /**
     * Verifies that {@code signature} is {@code key}'s over {@code payload} and that the payload names
     * {@code digest} in {@code repository}; returns what the payload claims.
     *
     * @throws SignatureRefused when the signature is missing, malformed or not the key's, or the payload names
     *                          another digest or repository
     */
    public static SimpleSigning.Claim verify(PublicKey key, byte[] payload, String signature, String repository,
                                             ImageDigest digest) {
        if (signature.isBlank()) {
            throw new SignatureRefused("the image is unsigned: a cosign signature is required");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException notBase64) {
            throw new SignatureRefused("the signature is not Base64", notBase64);
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(payload);
            valid = verifier.verify(der);
        } catch (GeneralSecurityException malformed) {
            throw new SignatureRefused("the signature is not a DER ECDSA signature", malformed);
        }
        if (!valid) {
            throw new SignatureRefused("the signature does not verify against the publisher's key");
        }
        SimpleSigning.Claim claim = SimpleSigning.parse(payload);
        if (!claim.digest().equals(digest)) {
            throw new SignatureRefused("the signature names digest " + claim.digest() + ", not the image's "
                    + digest);
        }
        if (!claim.dockerReference().equals(repository)) {
            throw new SignatureRefused("the signature names repository " + claim.dockerReference()
                    + ", not the image's " + repository);
        }
        return claim;
    }
}

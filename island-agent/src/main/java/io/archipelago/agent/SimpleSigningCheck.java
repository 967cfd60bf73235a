package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.agent.CargoVerifier.CargoRefused;
import io.archipelago.protocol.Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Cosign's signature format, checked with the JDK's own crypto: the signed payload is the simple-signing JSON
 * ({@code {"critical":{"identity":{..},"image":{"docker-manifest-digest":"sha256:.."},"type":"cosign container image
 * signature"},"optional":..}}) and the signature is ECDSA P-256 over SHA-256 of the payload's bytes, DER-encoded.
 * A signature counts only when it verifies under a trusted publisher key AND its payload names the very digest
 * being run, so a valid signature of another image, copied beside this one, is refused.
 */
final class SimpleSigningCheck implements ImageSignatureCheck {

    static final String TYPE = "cosign container image signature";

    private final List<PublicKey> trusted;

    private SimpleSigningCheck(List<PublicKey> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** Trusts the ECDSA P-256 keys given as PEM or Base64 X.509 SubjectPublicKeyInfo (cosign's public key file). */
    static SimpleSigningCheck trusting(List<String> keys) {
        List<PublicKey> trusted = new ArrayList<>();
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            for (String key : keys) {
                String base64 = key.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                PublicKey publicKey = ec.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
                if (((ECPublicKey) publicKey).getParams().getCurve().getField().getFieldSize() != 256) {
                    throw new IllegalArgumentException("an image signing key is ECDSA P-256");
                }
                trusted.add(publicKey);
            }
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException badKey) {
            throw new IllegalArgumentException("an image signing key is not an ECDSA P-256 public key", badKey);
        }
        return new SimpleSigningCheck(trusted);
    }

    @Override
    public void check(ImageReference image, List<OciRegistry.Signature> signatures) throws CargoRefused {
        if (signatures.isEmpty()) {
            throw new CargoRefused("the image " + image + " is unsigned: the registry has no " + image.signatureTag());
        }
        String reason = "no signature of " + image + " verifies under a trusted key";
        for (OciRegistry.Signature signature : signatures) {
            if (!verifiesUnderATrustedKey(signature)) {
                continue;
            }
            String named = namedDigest(signature.payload());
            if (image.digest().equals(named)) {
                return;
            }
            reason = "the signature stored for " + image + " signs another image (" + named + ")";
        }
        throw new CargoRefused(reason);
    }

    private boolean verifiesUnderATrustedKey(OciRegistry.Signature signature) {
        for (PublicKey key : trusted) {
            try {
                Signature ecdsa = Signature.getInstance("SHA256withECDSA");
                ecdsa.initVerify(key);
                ecdsa.update(signature.payload());
                if (ecdsa.verify(signature.signature())) {
                    return true;
                }
            } catch (GeneralSecurityException malformed) {
                // a malformed signature is one that does not verify; the next key may still be tried
            }
        }
        return false;
    }

    /** The digest a verified payload names, or a description of why it names none. */
    private static String namedDigest(byte[] payload) {
        try {
            JsonNode critical = Codec.json().readTree(payload).path("critical");
            if (!TYPE.equals(critical.path("type").asText())) {
                return "a payload of type '" + critical.path("type").asText() + "'";
            }
            return critical.path("image").path("docker-manifest-digest").asText("no digest");
        } catch (IOException notJson) {
            return "a payload that is not JSON: " + new String(payload, StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
        }
    }
}

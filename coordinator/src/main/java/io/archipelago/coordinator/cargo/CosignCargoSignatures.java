package io.archipelago.coordinator.cargo;

import io.archipelago.exchange.publisher.api.CargoSignatures;
import io.archipelago.protocol.cosign.CosignSignatures;
import io.archipelago.protocol.cosign.ImageDigest;
import io.archipelago.protocol.cosign.SigningKeys;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * {@link CargoSignatures} over island-protocol's cosign code, the code every Island verifies with before a run, so
 * that publication and execution refuse the same images. Axon hands it to the Publisher and Market command
 * handlers by type.
 */
@Component
final class CosignCargoSignatures implements CargoSignatures {

    @Override
    public String signingKey(String text) {
        return SigningKeys.spki(SigningKeys.parse(text));
    }

    @Override
    public void verify(String signingKey, String repository, String digest, String payload, String signature) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("the signed payload is not Base64", notBase64);
        }
        CosignSignatures.verify(SigningKeys.fromSpki(signingKey), bytes, signature, repository,
                new ImageDigest(digest));
    }

    @Override
    public void verifyPossession(String signingKey, byte[] challenge, String signature) {
        if (!CosignSignatures.signs(SigningKeys.fromSpki(signingKey), challenge, signature)) {
            throw new IllegalArgumentException("the proof is not the new key's signature over its challenge");
        }
    }
}

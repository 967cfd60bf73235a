package io.archipelago.agent;

import io.archipelago.agent.CargoVerifier.CargoRefused;
import io.archipelago.protocol.OfferedVersion;
import io.archipelago.protocol.cosign.CosignSignatures;
import io.archipelago.protocol.cosign.ImageDigest;
import io.archipelago.protocol.cosign.SignatureRefused;
import io.archipelago.protocol.cosign.SigningKeys;
import io.archipelago.protocol.cosign.SimpleSigning;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The host's check of an image against the publisher keys it pinned, in cosign's format as the protocol's
 * {@code cosign} package reads it (the coordinator verifies publications with the same code). A signature counts
 * only when it verifies under a trusted key AND its payload names the very digest being run, so a valid signature
 * of another image, copied beside this one, is refused.
 */
final class CosignImageCheck implements ImageSignatureCheck {

    private final List<ECPublicKey> trusted;

    private CosignImageCheck(List<ECPublicKey> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * Trusts the ECDSA P-256 keys given as PEM or EC JWK (cosign's public key file).
     *
     * @throws SignatureRefused when one of them is not an ECDSA P-256 public key
     */
    static CosignImageCheck trusting(List<String> keys) {
        List<ECPublicKey> trusted = new ArrayList<>();
        for (String key : keys) {
            trusted.add(SigningKeys.parse(key));
        }
        return new CosignImageCheck(trusted);
    }

    @Override
    public void check(ImageReference image, List<OciRegistry.Signature> signatures) throws CargoRefused {
        if (signatures.isEmpty()) {
            throw new CargoRefused("the image " + image + " is unsigned: the registry has no " + image.signatureTag());
        }
        ImageDigest digest = new ImageDigest(image.digest());
        String reason = "no signature of " + image + " verifies under a trusted key";
        for (OciRegistry.Signature signature : signatures) {
            String base64 = Base64.getEncoder().encodeToString(signature.signature());
            for (ECPublicKey key : trusted) {
                try {
                    CosignSignatures.verify(key, signature.payload(), base64, reference(signature, image), digest);
                    return;
                } catch (SignatureRefused refused) {
                    if (!refused.getMessage().contains("does not verify")) {
                        reason = "the signature stored for " + image + " is refused: " + refused.getMessage();
                    }
                }
            }
        }
        throw new CargoRefused(reason);
    }

    @Override
    public ImageReference checkOffered(OfferedVersion version) throws CargoRefused {
        try {
            ECPublicKey publisherKey = SigningKeys.fromSpki(version.publisherKey());
            String spki = SigningKeys.spki(publisherKey);
            if (!trusted.isEmpty() && trusted.stream().noneMatch(key -> SigningKeys.spki(key).equals(spki))) {
                throw new CargoRefused("version " + version.name() + " is signed by a publisher key this host did"
                        + " not pin");
            }
            CosignSignatures.verify(publisherKey, Base64.getDecoder().decode(version.payload()), version.signature(),
                    version.repository(), new ImageDigest(version.digest()));
            return new ImageReference(pathInRegistry(version.repository()), version.digest());
        } catch (SignatureRefused refused) {
            throw new CargoRefused("version " + version.name() + " is refused: " + refused.getMessage());
        } catch (IllegalArgumentException malformed) {
            throw new CargoRefused("version " + version.name() + " names no image this host can pull: "
                    + malformed.getMessage());
        }
    }

    /**
     * The repository's path inside a registry: {@code host/cargos/echo} is {@code cargos/echo}. The first component
     * names a registry host when it has a dot or a port or is {@code localhost}, as Docker reads references; the
     * host pulls from the registry it was configured with, which may be a mirror of the publisher's.
     */
    static String pathInRegistry(String repository) {
        int slash = repository.indexOf('/');
        if (slash < 0) {
            return repository;
        }
        String first = repository.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || "localhost".equals(first);
        return host ? repository.substring(slash + 1) : repository;
    }

    /**
     * The reference the payload must name: the image's repository, under whatever registry host the publisher
     * signed it for (a host may pull through a mirror or by another spelling of the same registry).
     */
    private static String reference(OciRegistry.Signature signature, ImageReference image) {
        try {
            String named = SimpleSigning.parse(signature.payload()).dockerReference();
            return named.equals(image.repository()) || named.endsWith("/" + image.repository()) ? named
                    : image.repository();
        } catch (SignatureRefused notAPayload) {
            return image.repository();
        }
    }
}

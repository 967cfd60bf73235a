package io.archipelago.agent;

import io.archipelago.agent.CargoVerifier.CargoRefused;
import io.archipelago.protocol.OfferedVersion;
import java.util.List;

/**
 * Decides, before each run, whether an image may run: called with the image (named by its manifest digest) and
 * the signatures fetched from its {@code sha256-<digest>.sig} tag. It throws to refuse; there is no warn-only mode.
 */
interface ImageSignatureCheck {

    /**
     * Accepts {@code image} only when one of {@code signatures} is valid for it.
     *
     * @throws CargoRefused when none is: unsigned, signed by a key not trusted here, or signed for another digest
     */
    void check(ImageReference image, List<OciRegistry.Signature> signatures) throws CargoRefused;

    /**
     * Accepts the version a job was offered with only when its signature verifies under its publisher key, that
     * key is one this host pinned (when it pinned any), and the signed payload names the version's repository and
     * digest; returns the image to pull, exactly that digest.
     *
     * @throws CargoRefused when any of that fails
     */
    ImageReference checkOffered(OfferedVersion version) throws CargoRefused;
}

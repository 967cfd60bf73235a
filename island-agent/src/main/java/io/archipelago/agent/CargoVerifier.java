package io.archipelago.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Checks a Cargo before anything of it runs: its manifest must be signed (Ed25519) by the key pinned for its
 * publisher on this Island, and its content must hash to the digest the signature covers. What it returns is the
 * verified content itself, read once, so that what runs is what was checked.
 */
final class CargoVerifier {

    private final Map<String, PublicKey> pinned;

    private CargoVerifier(Map<String, PublicKey> pinned) {
        this.pinned = Map.copyOf(pinned);
    }

    /** Pins publisher → public key (Base64 of the X.509 SubjectPublicKeyInfo of an Ed25519 key). */
    static CargoVerifier pinning(Map<String, String> keys) {
        try {
            KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
            Map<String, PublicKey> pinned = new HashMap<>();
            for (Map.Entry<String, String> key : keys.entrySet()) {
                pinned.put(key.getKey(), ed25519.generatePublic(
                        new X509EncodedKeySpec(Base64.getDecoder().decode(key.getValue()))));
            }
            return new CargoVerifier(pinned);
        } catch (GeneralSecurityException | IllegalArgumentException badKey) {
            throw new IllegalArgumentException("a pinned publisher key is not a Base64 Ed25519 public key", badKey);
        }
    }

    /** A Cargo whose manifest and content were checked; {@code content} is exactly the bytes that were hashed. */
    record Verified(CargoManifest manifest, byte[] content) {
    }

    /**
     * Verifies the Cargo described by {@code manifestFile}.
     *
     * @throws CargoRefused when it is unsigned, signed by a key not pinned for its publisher, or tampered with
     */
    Verified verify(Path manifestFile) throws CargoRefused {
        CargoManifest manifest;
        try {
            manifest = CargoManifest.read(manifestFile);
        } catch (IOException unreadable) {
            throw new CargoRefused(unreadable.getMessage());
        }
        PublicKey key = pinned.get(manifest.publisher());
        if (key == null) {
            throw new CargoRefused("no key is pinned for publisher " + manifest.publisher() + " of "
                    + manifest.cargo());
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(manifest.signedBytes());
            if (!ed25519.verify(Base64.getDecoder().decode(manifest.signature()))) {
                throw new CargoRefused("the manifest of " + manifest.cargo() + " is not signed by "
                        + manifest.publisher() + "'s pinned key (tampered or forged)");
            }
        } catch (GeneralSecurityException | IllegalArgumentException badSignature) {
            throw new CargoRefused("the signature of " + manifest.cargo() + " cannot be checked: " + badSignature);
        }
        Path contentFile = manifestFile.resolveSibling(manifest.content());
        byte[] content;
        try {
            content = Files.readAllBytes(contentFile);
        } catch (IOException unreadable) {
            throw new CargoRefused("the content of " + manifest.cargo() + " cannot be read: " + unreadable);
        }
        if (!sha256(content).equals(manifest.sha256())) {
            throw new CargoRefused("the content of " + manifest.cargo() + " does not match its signed digest"
                    + " (tampered)");
        }
        return new Verified(manifest, content);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A Cargo the Island will not run, and why. */
    static final class CargoRefused extends Exception {

        private static final long serialVersionUID = 1L;

        CargoRefused(String reason) {
            super(reason);
        }
    }
}

package io.archipelago.protocol;

import io.archipelago.protocol.cosign.ImageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The Cargo version a {@link JobOffer} runs, as the coordinator verified it at publication, so the Island verifies
 * it again before the run against the publisher's key rather than trusting the coordinator: the image by repository
 * and manifest digest, the cosign simple-signing payload and its signature as the registry stores them, and the
 * publisher's key. Checking them is the Island's work ({@code io.archipelago.protocol.cosign}); this record only
 * checks their shape.
 *
 * @param v            this field's own version, {@link #VERSION}; an offer with another is refused
 * @param name         the version's name within its Cargo type, e.g. {@code 1.2.0}
 * @param repository   the image repository as the publisher signed it, host/path without tag
 * @param digest       the image manifest's digest, {@code sha256:} and 64 lower-case hex digits
 * @param payload      Base64 of the simple-signing JSON's exact bytes
 * @param signature    Base64 of the DER ECDSA P-256 signature over the payload
 * @param publisherKey Base64 of the publisher's DER SubjectPublicKeyInfo (ECDSA P-256) the coordinator verified with
 */
public record OfferedVersion(int v, String name, String repository, String digest, String payload, String signature,
                             String publisherKey) {

    /** The only version of this field this build writes and reads. */
    public static final int VERSION = 1;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    public OfferedVersion {
        if (v != VERSION) {
            throw new IllegalArgumentException("an offered version's v is " + VERSION + ", got " + v);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a version name is 1 to 64 letters, digits, ., _, + or -, got "
                    + name);
        }
        if (repository == null || repository.isBlank() || repository.length() > 255) {
            throw new IllegalArgumentException("an offered version names its image repository");
        }
        new ImageDigest(digest);
        base64("payload", payload, 16_384);
        base64("signature", signature, 1_024);
        base64("publisherKey", publisherKey, 1_024);
    }

    private static void base64(String what, String value, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            throw new IllegalArgumentException("an offered version's " + what + " is 1 to " + maxLength
                    + " characters of Base64");
        }
        try {
            Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("an offered version's " + what + " is not Base64", notBase64);
        }
    }
}

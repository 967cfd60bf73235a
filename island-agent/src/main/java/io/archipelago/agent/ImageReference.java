package io.archipelago.agent;

import java.util.regex.Pattern;

/**
 * An OCI image named by the digest of its manifest, never by a tag: {@code repository@sha256:<64 hex>}. A tag can be
 * moved to other content; a digest names exactly one manifest, and the manifest names its layers by digest.
 *
 * @param repository the repository inside the registry, e.g. {@code cargos/echo}
 * @param digest     the manifest's digest, {@code sha256:} and 64 lowercase hex digits
 */
public record ImageReference(String repository, String digest) {

    private static final String COMPONENT = "[a-z0-9]+(?:[._-][a-z0-9]+)*";
    private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public ImageReference {
        if (!REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("not an OCI repository name: " + repository);
        }
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("an image is named by its sha256 digest, got " + digest);
        }
    }

    /** Reads {@code repository@sha256:<hex>}; a tag instead of a digest is refused. */
    public static ImageReference parse(String text) {
        int at = text.indexOf('@');
        if (at < 1) {
            throw new IllegalArgumentException("an image is named REPOSITORY@sha256:DIGEST, got " + text);
        }
        return new ImageReference(text.substring(0, at), text.substring(at + 1));
    }

    /** The 64 hex digits of the digest. */
    public String hex() {
        return digest.substring("sha256:".length());
    }

    /** The tag under which cosign stores the image's signatures. */
    public String signatureTag() {
        return "sha256-" + hex() + ".sig";
    }

    @Override
    public String toString() {
        return repository + "@" + digest;
    }
}

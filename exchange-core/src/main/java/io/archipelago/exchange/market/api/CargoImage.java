package io.archipelago.exchange.market.api;

import java.util.regex.Pattern;

/**
 * A Cargo version's OCI image, pinned by digest: {@code repository} as a registry names it (host/path, no tag) and
 * {@code digest} its manifest's {@code sha256:} digest. Tags are never trusted: a re-tagged image has another digest.
 */
public record CargoImage(String repository, String digest) {

    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+([._:-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)+");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public CargoImage {
        if (repository == null || repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("an image repository is host/path in lower case, without tag or "
                    + "digest, got " + repository);
        }
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("an image is pinned by its digest, 'sha256:' and 64 lower-case hex "
                    + "digits, got " + digest);
        }
    }

    /** The image as a pull reference by digest. */
    public String reference() {
        return repository + "@" + digest;
    }
}

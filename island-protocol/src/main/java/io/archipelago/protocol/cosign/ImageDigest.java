package io.archipelago.protocol.cosign;

import java.util.regex.Pattern;

/** An OCI manifest digest, {@code sha256:} and 64 lower-case hex digits: what a Cargo image is pinned by. */
public record ImageDigest(String value) {

    private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");

    public ImageDigest {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("an image digest is 'sha256:' and 64 lower-case hex digits, got "
                    + value);
        }
    }

    /** The tag cosign stores the signature under: {@code sha256-<hex>.sig}. */
    public String signatureTag() {
        return value.replace(':', '-') + ".sig";
    }

    @Override
    public String toString() {
        return value;
    }
}

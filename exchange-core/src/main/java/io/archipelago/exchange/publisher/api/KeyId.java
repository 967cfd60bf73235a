package io.archipelago.exchange.publisher.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Names a publisher's signing key: {@code sha256:} and the hex SHA-256 of the key's DER SubjectPublicKeyInfo, so
 * anyone holding the key computes the same id.
 */
public record KeyId(String value) {

    private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");

    public KeyId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a key id is sha256: and 64 hex digits, got " + value);
        }
    }

    /** The id of {@code signingKey}, the Base64 of a DER SubjectPublicKeyInfo. */
    public static KeyId of(String signingKey) {
        try {
            byte[] der = Base64.getDecoder().decode(signingKey);
            return new KeyId("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }

    /**
     * What a publisher signs with a new key to prove it holds it: the UTF-8 bytes of
     * {@code archipelago-publisher-key:<publisher>:<key id>}, binding the proof to that publisher and that key.
     */
    public byte[] challenge(String publisher) {
        return ("archipelago-publisher-key:" + publisher + ":" + value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return value;
    }
}

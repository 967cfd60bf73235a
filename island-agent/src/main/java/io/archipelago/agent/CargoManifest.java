package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.protocol.Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a Cargo publisher signs: the Cargo type, its version, its kind ({@code process}: an executable run in the
 * sandbox), the publisher, the content file (beside the manifest) and the SHA-256 of its bytes. The signature is
 * Ed25519 over {@link #signedBytes()}, a fixed line format, so nothing depends on how JSON is written.
 */
public record CargoManifest(String cargo, String version, String kind, String publisher, String content,
                            String sha256, String signature) {

    static final String FORMAT = "archipelago-cargo-v1";

    /** The bytes the publisher's signature covers. */
    public byte[] signedBytes() {
        return String.join("\n", FORMAT, cargo, version, kind, publisher, content, sha256)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a manifest file; a missing field or signature is an unsigned Cargo. */
    static CargoManifest read(Path file) throws IOException {
        JsonNode json = Codec.json().readTree(Files.readAllBytes(file));
        String[] fields = {"cargo", "version", "kind", "publisher", "content", "sha256", "signature"};
        String[] values = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            JsonNode value = json.get(fields[i]);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw new IOException("the manifest " + file + " has no " + fields[i]
                        + (fields[i].equals("signature") ? ": the Cargo is unsigned" : ""));
            }
            values[i] = value.asText();
        }
        return new CargoManifest(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }

    void write(Path file) throws IOException {
        Files.write(file, Codec.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }
}

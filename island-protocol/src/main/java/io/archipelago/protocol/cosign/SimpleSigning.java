package io.archipelago.protocol.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The simple-signing payload cosign signs: {@code {"critical":{"identity":{"docker-reference":..},"image":
 * {"docker-manifest-digest":"sha256:.."},"type":"cosign container image signature"},"optional":{..}}}. The signature
 * covers the payload's exact bytes, so a verifier parses the bytes it was given and never re-serialises them.
 */
public final class SimpleSigning {

    /** The {@code critical.type} every cosign image signature carries. */
    public static final String TYPE = "cosign container image signature";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SimpleSigning() {
    }

    /** What a payload claims: the repository it was signed for and the manifest digest it names. */
    public record Claim(String dockerReference, ImageDigest digest) {
    }

    /** The payload for {@code digest} in {@code dockerReference} (a repository, without tag), as cosign writes it. */
    public static byte[] payload(String dockerReference, ImageDigest digest, Map<String, String> optional) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", digest.value());
        critical.put("type", TYPE);
        if (optional.isEmpty()) {
            root.putNull("optional");
        } else {
            ObjectNode extra = root.putObject("optional");
            optional.forEach(extra::put);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException impossible) {
            throw new IllegalStateException("a tree of strings always serialises", impossible);
        }
    }

    /**
     * What {@code payload} claims, if it is a cosign image signature payload.
     *
     * @throws SignatureRefused when it is not JSON, has another type, or lacks the reference or the digest
     */
    public static Claim parse(byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException notJson) {
            throw new SignatureRefused("the signed payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new SignatureRefused("the signed payload is not a simple-signing JSON object");
        }
        JsonNode critical = root.path("critical");
        String type = critical.path("type").asText("");
        if (!TYPE.equals(type)) {
            throw new SignatureRefused("the signed payload's critical.type is '" + type + "', not '" + TYPE + "'");
        }
        String reference = critical.path("identity").path("docker-reference").asText("");
        if (reference.isBlank()) {
            throw new SignatureRefused("the signed payload names no critical.identity.docker-reference");
        }
        String digest = critical.path("image").path("docker-manifest-digest").asText("");
        try {
            return new Claim(reference, new ImageDigest(digest));
        } catch (IllegalArgumentException malformed) {
            throw new SignatureRefused("the signed payload's docker-manifest-digest is not a sha256 digest: '"
                    + digest + "'");
        }
    }
}

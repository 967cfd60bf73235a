package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.agent.CargoVerifier.CargoRefused;
import io.archipelago.protocol.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads images and their signatures from an OCI registry (the distribution HTTP API, anonymous) and nothing else.
 * Every byte it keeps is checked against the digest that names it: the manifest against the digest asked for, each
 * blob against the digest the manifest gives, so a registry that serves other content under a name is refused.
 */
final class OciRegistry {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    private static final long MAX_MANIFEST_BYTES = 4L << 20;

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /** A registry at {@code base} (e.g. {@code http://127.0.0.1:5000}, as {@code REGISTRY_URL} gives it). */
    OciRegistry(URI base, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.timeout = timeout;
    }

    URI base() {
        return base;
    }

    /** An image's manifest, fetched by digest and checked to be exactly the bytes that digest names. */
    record Manifest(ImageReference image, byte[] bytes, JsonNode json) {
    }

    /**
     * Fetches the manifest of {@code image} by its digest.
     *
     * @throws CargoRefused when the registry has no such manifest, or serves bytes whose digest is another one
     */
    Manifest manifest(ImageReference image) throws CargoRefused, IOException, InterruptedException {
        byte[] bytes = manifestBytes(image.repository(), image.digest());
        if (bytes == null) {
            throw new CargoRefused("the registry has no image " + image);
        }
        String actual = "sha256:" + CargoVerifier.sha256(bytes);
        if (!actual.equals(image.digest())) {
            throw new CargoRefused("the registry served a manifest whose digest " + actual + " is not the "
                    + image.digest() + " asked for (altered or re-tagged image)");
        }
        JsonNode json = Codec.json().readTree(bytes);
        if (!OCI_MANIFEST.equals(json.path("mediaType").asText(OCI_MANIFEST)) || !json.path("config").isObject()
                || !json.path("layers").isArray()) {
            throw new CargoRefused("the image " + image + " is not a single-platform OCI image manifest");
        }
        return new Manifest(image, bytes, json);
    }

    /**
     * Writes the image of {@code manifest} as an OCI image layout in {@code layout}, tagged {@code ref}: its
     * config and every layer fetched by digest and checked.
     */
    void pull(Manifest manifest, Path layout, String ref) throws CargoRefused, IOException, InterruptedException {
        Path blobs = Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
        Files.write(blobs.resolve(manifest.image().hex()), manifest.bytes());
        List<JsonNode> descriptors = new ArrayList<>();
        descriptors.add(manifest.json().get("config"));
        manifest.json().get("layers").forEach(descriptors::add);
        for (JsonNode descriptor : descriptors) {
            String digest = descriptor.path("digest").asText();
            Path blob = blobs.resolve(digest.substring(digest.indexOf(':') + 1));
            fetchBlob(manifest.image().repository(), digest, blob);
        }
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var index = Codec.json().createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", OCI_MANIFEST)
                .put("digest", manifest.image().digest()).put("size", manifest.bytes().length)
                .putObject("annotations").put("org.opencontainers.image.ref.name", ref);
        Files.write(layout.resolve("index.json"), Codec.json().writeValueAsBytes(index));
    }

    /** One cosign-style signature: the payload that was signed and the signature over it (DER bytes). */
    record Signature(byte[] payload, byte[] signature) {
    }

    /**
     * The signatures stored for {@code image} under its {@code sha256-<digest>.sig} tag: the layers of that
     * artifact, each a payload blob with its signature in the layer's annotation. Empty when there is none.
     */
    List<Signature> signatures(ImageReference image) throws CargoRefused, IOException, InterruptedException {
        byte[] bytes = manifestBytes(image.repository(), image.signatureTag());
        if (bytes == null) {
            return List.of();
        }
        List<Signature> signatures = new ArrayList<>();
        for (JsonNode layer : Codec.json().readTree(bytes).path("layers")) {
            String encoded = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText("");
            if (encoded.isEmpty() || layer.path("size").asLong(Long.MAX_VALUE) > MAX_MANIFEST_BYTES) {
                continue;
            }
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            Path payload = Files.createTempFile("signature-payload", ".json");
            try {
                fetchBlob(image.repository(), layer.path("digest").asText(), payload);
                signatures.add(new Signature(Files.readAllBytes(payload), signature));
            } finally {
                Files.deleteIfExists(payload);
            }
        }
        return signatures;
    }

    private byte @Nullable [] manifestBytes(String repository, String reference)
            throws CargoRefused, IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v2/" + repository + "/manifests/" + reference))
                .header("Accept", OCI_MANIFEST).timeout(timeout).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new CargoRefused("the registry answered " + response.statusCode() + " for " + repository + ":"
                    + reference + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        if (response.body().length > MAX_MANIFEST_BYTES) {
            throw new CargoRefused("the manifest " + repository + ":" + reference + " is too large");
        }
        return response.body();
    }

    private void fetchBlob(String repository, String digest, Path target)
            throws CargoRefused, IOException, InterruptedException {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new CargoRefused("a blob of " + repository + " is not named by a sha256 digest: " + digest);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v2/" + repository + "/blobs/" + digest))
                .timeout(timeout).GET().build();
        HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(target));
        if (response.statusCode() != 200) {
            Files.deleteIfExists(target);
            throw new CargoRefused("the registry answered " + response.statusCode() + " for blob " + digest
                    + " of " + repository);
        }
        String actual = "sha256:" + sha256(target);
        if (!actual.equals(digest)) {
            Files.deleteIfExists(target);
            throw new CargoRefused("the registry served a blob of " + repository + " whose digest " + actual
                    + " is not the " + digest + " its manifest names (altered image)");
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}

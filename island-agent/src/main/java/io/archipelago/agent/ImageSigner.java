package io.archipelago.agent;

import io.archipelago.protocol.cosign.CosignSignatures;
import io.archipelago.protocol.cosign.ImageDigest;
import io.archipelago.protocol.cosign.SimpleSigning;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Signs an image as {@code cosign sign} does, with the protocol's own code: the simple-signing payload naming the
 * image's manifest digest, ECDSA P-256 over it, stored in the registry as the one layer of an OCI artifact under the
 * image's {@code sha256-<digest>.sig} tag (the signature in the layer's {@code dev.cosignproject.cosign/signature}
 * annotation). What it returns is what a publisher sends when it publishes the image as a Cargo version.
 */
public final class ImageSigner {

    /**
     * A signed image.
     *
     * @param dockerReference the repository the payload names, {@code host:port/path}
     * @param payload         Base64 of the payload's exact bytes
     * @param signature       Base64 of the DER signature over them
     */
    public record Signed(String dockerReference, String payload, String signature) {
    }

    private final URI registry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Signs images of the registry at {@code registry} ({@code http://host:port}). */
    public ImageSigner(URI registry) {
        this.registry = URI.create(registry.toString().replaceAll("/+$", "") + "/");
    }

    /** Signs {@code image} with {@code key}, stores the signature beside it and returns it. */
    public Signed sign(ImageReference image, PrivateKey key) throws IOException, InterruptedException {
        String dockerReference = registry.getAuthority() + "/" + image.repository();
        byte[] payload = SimpleSigning.payload(dockerReference, new ImageDigest(image.digest()), Map.of());
        String signature = CosignSignatures.sign(key, payload);

        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = upload(image.repository(), config);
        String payloadDigest = upload(image.repository(), payload);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OciRegistry.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":"
                + config.length + ",\"digest\":\"" + configDigest + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":"
                + payload.length + ",\"digest\":\"" + payloadDigest + "\","
                + "\"annotations\":{\"" + OciRegistry.SIGNATURE_ANNOTATION + "\":\"" + signature + "\"}}]}";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(registry.resolve("v2/" + image.repository()
                        + "/manifests/" + image.signatureTag()))
                .header("Content-Type", OciRegistry.OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IOException("the registry refused the signature: " + put.statusCode() + " " + put.body());
        }
        return new Signed(dockerReference, Base64.getEncoder().encodeToString(payload), signature);
    }

    /** Whether the registry serves {@code image}'s manifest. */
    public boolean holds(ImageReference image) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(registry.resolve("v2/" + image.repository() + "/manifests/"
                        + image.digest())).header("Accept", OciRegistry.OCI_MANIFEST)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200;
    }

    private String upload(String repository, byte[] blob) throws IOException, InterruptedException {
        String digest = "sha256:" + CargoVerifier.sha256(blob);
        HttpResponse<Void> start = http.send(HttpRequest.newBuilder(registry.resolve("v2/" + repository
                        + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        String location = start.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("the registry did not start an upload: " + start.statusCode()));
        URI target = registry.resolve(location);
        URI withDigest = URI.create(target + (target.getQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(withDigest)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IOException("the registry refused a blob: " + put.statusCode() + " " + put.body());
        }
        return digest;
    }
}

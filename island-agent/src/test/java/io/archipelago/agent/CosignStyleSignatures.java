package io.archipelago.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs images as cosign does and stores the signature where cosign does, written here from the format rather than
 * with the agent's code: the simple-signing payload naming the manifest digest, ECDSA P-256 over SHA-256 of it
 * (DER, Base64 in the layer's {@code dev.cosignproject.cosign/signature} annotation), pushed as the one layer of an
 * OCI artifact under the tag {@code sha256-<digest>.sig}.
 */
final class CosignStyleSignatures {

    private final URI registry;
    private final HttpClient http = HttpClient.newHttpClient();

    CosignStyleSignatures(URI registry) {
        this.registry = registry;
    }

    static KeyPair newKey() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The public key as cosign writes it: PEM of the X.509 SubjectPublicKeyInfo. */
    static String pem(KeyPair key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static String payload(String dockerReference, String digest) {
        return "{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference + "\"},"
                + "\"image\":{\"docker-manifest-digest\":\"" + digest + "\"},"
                + "\"type\":\"cosign container image signature\"},\"optional\":null}";
    }

    /** Signs {@code signed}'s digest with {@code key} and stores it as the signature of {@code storedFor}. */
    void sign(ImageReference signed, ImageReference storedFor, KeyPair key) throws Exception {
        byte[] payload = payload(registry.getAuthority() + "/" + signed.repository(), signed.digest())
                .getBytes(StandardCharsets.UTF_8);
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(key.getPrivate());
        ecdsa.update(payload);
        String signature = Base64.getEncoder().encodeToString(ecdsa.sign());

        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = upload(storedFor.repository(), config);
        String payloadDigest = upload(storedFor.repository(), payload);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":"
                + config.length + ",\"digest\":\"" + configDigest + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":"
                + payload.length + ",\"digest\":\"" + payloadDigest + "\","
                + "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + signature + "\"}}]}";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(registry.resolve("/v2/" + storedFor.repository()
                        + "/manifests/" + storedFor.signatureTag()))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IOException("the registry refused the signature: " + put.statusCode() + " " + put.body());
        }
    }

    private String upload(String repository, byte[] blob) throws Exception {
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        HttpResponse<Void> start = http.send(HttpRequest.newBuilder(registry.resolve("/v2/" + repository
                        + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        String location = start.headers().firstValue("Location").orElseThrow();
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

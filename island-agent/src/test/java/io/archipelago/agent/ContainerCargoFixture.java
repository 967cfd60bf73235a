package io.archipelago.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;

/**
 * For the tests of other modules (shipped in this module's test jar): a real OCI registry on loopback holding
 * busybox container Cargos signed in cosign's format, and the publisher key that signed them, as a PEM file to give
 * an Island with {@code --image-key}.
 */
public final class ContainerCargoFixture implements AutoCloseable {

    /** A host block device (loop0) at /bin/loop0, open to all, which a container must still not open. */
    static final BusyboxImages.RootFilesystem LOOP_DEVICE = rootfs -> {
        Process mknod = new ProcessBuilder("mknod", "-m", "666", rootfs.resolve("bin/loop0").toString(), "b", "7",
                "0").redirectErrorStream(true).start();
        String said = new String(mknod.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mknod.waitFor() != 0) {
            throw new IOException("mknod failed: " + said);
        }
    };

    private final OciRegistryProcess registry;
    private final BusyboxImages images;
    private final CosignStyleSignatures signer;
    private final KeyPair publisher;
    private final Path publicKey;

    /** Starts the registry and builds the busybox layer in {@code directory}. */
    public ContainerCargoFixture(Path directory) throws Exception {
        registry = new OciRegistryProcess(directory);
        try {
            images = new BusyboxImages(directory, registry.url(), LOOP_DEVICE);
            signer = new CosignStyleSignatures(registry.url());
            publisher = CosignStyleSignatures.newKey();
            publicKey = Files.writeString(directory.resolve("cosign.pub"), CosignStyleSignatures.pem(publisher));
        } catch (Exception failed) {
            registry.close();
            throw failed;
        }
    }

    /** What this machine lacks to run container Cargos, or an empty string when it lacks nothing. */
    public static String missing() {
        return ContainerTools.missing();
    }

    public URI registry() {
        return registry.url();
    }

    /** The publisher's public key, PEM. */
    public Path publicKey() {
        return publicKey;
    }

    /** Pushes and signs an image that runs {@code script} with busybox's sh; returns {@code repository@digest}. */
    public String signedImage(String repository, String script) throws Exception {
        ImageReference image = images.push(repository, script);
        signer.sign(image, image, publisher);
        return image.toString();
    }

    /**
     * An image as its publisher publishes it as a Cargo version: pushed (with no signature in the registry), and the
     * simple-signing payload naming it signed with the publisher's key.
     *
     * @param repository host/path, as the version names its image
     * @param payload    Base64 of the payload's bytes
     * @param signature  Base64 of the DER signature over them
     */
    public record SignedVersion(String repository, String digest, String payload, String signature) {
    }

    /** Pushes an image that runs {@code script} and signs it for publication as a Cargo version. */
    public SignedVersion publishableImage(String repository, String script) throws Exception {
        ImageReference image = images.push(repository, script);
        String named = registry.url().getAuthority() + "/" + repository;
        byte[] payload = CosignStyleSignatures.payload(named, image.digest()).getBytes(StandardCharsets.UTF_8);
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(publisher.getPrivate());
        ecdsa.update(payload);
        return new SignedVersion(named, image.digest(), Base64.getEncoder().encodeToString(payload),
                Base64.getEncoder().encodeToString(ecdsa.sign()));
    }

    /** Replaces {@code from} by {@code to} in the config blob the registry stores for {@code version}'s image. */
    public void alterConfig(SignedVersion version, String from, String to) throws IOException {
        String config = new ObjectMapper().readTree(registry.blob(version.digest()).toFile()).path("config")
                .path("digest").asText();
        Path blob = registry.blob(config);
        Files.writeString(blob, Files.readString(blob).replace(from, to));
    }

    /** The publisher's public key, PEM, as its account registers it. */
    public String publicKeyPem() throws IOException {
        return Files.readString(publicKey);
    }

    /** As {@link #signedImage}, then alters the manifest the registry serves under that digest. */
    public String alteredImage(String repository, String script) throws Exception {
        ImageReference image = ImageReference.parse(signedImage(repository, script));
        Path manifest = registry.blob(image.digest());
        Files.writeString(manifest, Files.readString(manifest) + " ");
        return image.toString();
    }

    @Override
    public void close() throws InterruptedException {
        registry.close();
    }
}

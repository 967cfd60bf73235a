package io.archipelago.demo;

import io.archipelago.agent.BusyboxImages;
import io.archipelago.agent.ImageReference;
import io.archipelago.agent.ImageSigner;
import io.archipelago.agent.OciRegistryProcess;
import io.archipelago.protocol.cosign.SigningKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The demo's container Cargo as its publisher prepares it: a busybox image that upper-cases the job's prompt and says
 * where it ran, built with umoci, pushed by digest to a registry (a local docker-registry on a free loopback port,
 * config and storage under {@code <data-dir>/demo-registry}, or the one {@code REGISTRY_URL} names), and signed in
 * cosign's format with the demo publisher's ECDSA P-256 key (the {@code sha256-<digest>.sig} artifact). The key
 * and the image's digest are kept under the same directory, so a restart serves the version published before.
 */
final class DemoContainerCargo implements AutoCloseable {

    static final String REPOSITORY = "demo/shout";
    /** Reads the job's input line, upper-cases its last prompt or message, then tells how it was run. */
    static final String SCRIPT = "read -r input;"
            + " echo \"$input\" | grep -oE '\"(prompt|content)\":\"[^\"]*\"' | tail -n 1 | cut -d '\"' -f 4"
            + " | tr a-z A-Z;"
            + " echo \"(upper-cased in a runc container: read-only root, no network,"
            + " $(grep '^Seccomp:' /proc/self/status | tr -s '\\t' ' '))\"";

    private static final String KEY_FILE = "publisher-key.p8";
    private static final String PUBLIC_KEY_FILE = "cosign.pub";
    private static final String IMAGE_FILE = "image";
    private static final String PID_FILE = "registry.pid";

    private final @Nullable OciRegistryProcess started;
    private final URI registry;
    private final ImageReference image;
    private final ImageSigner.Signed signed;
    private final String publicKeyPem;
    private final Path publicKeyFile;

    private DemoContainerCargo(@Nullable OciRegistryProcess started, URI registry, ImageReference image,
                               ImageSigner.Signed signed, String publicKeyPem, Path publicKeyFile) {
        this.started = started;
        this.registry = registry;
        this.image = image;
        this.signed = signed;
        this.publicKeyPem = publicKeyPem;
        this.publicKeyFile = publicKeyFile;
    }

    /**
     * Starts the registry unless {@code registryUrl} names one, builds and pushes the image unless the registry
     * already holds the one built before, and signs it.
     */
    static DemoContainerCargo prepare(Path directory, @Nullable URI registryUrl)
            throws IOException, InterruptedException, GeneralSecurityException {
        Files.createDirectories(directory);
        KeyPair key = key(directory);
        OciRegistryProcess started = registryUrl == null ? startRegistry(directory) : null;
        try {
            URI registry = started == null ? registryUrl : started.url();
            ImageSigner signer = new ImageSigner(registry);
            Path imageFile = directory.resolve(IMAGE_FILE);
            ImageReference image = Files.exists(imageFile)
                    ? ImageReference.parse(Files.readString(imageFile, StandardCharsets.US_ASCII).strip()) : null;
            if (image == null || !signer.holds(image)) {
                image = build(directory, registry);
                Files.writeString(imageFile, image + "\n", StandardCharsets.US_ASCII);
            }
            ImageSigner.Signed signed = signer.sign(image, key.getPrivate());
            return new DemoContainerCargo(started, registry, image, signed, SigningKeys.pem(key.getPublic()),
                    directory.resolve(PUBLIC_KEY_FILE));
        } catch (IOException | RuntimeException | InterruptedException failed) {
            if (started != null) {
                started.close();
            }
            throw failed;
        }
    }

    /**
     * A local registry on the directory's storage. A coordinator killed without its shutdown leaves its registry
     * running on that storage: stopped first, by the process id written beside it.
     */
    private static OciRegistryProcess startRegistry(Path directory) throws IOException, InterruptedException {
        Path pidFile = directory.resolve(PID_FILE);
        if (Files.exists(pidFile)) {
            Optional<ProcessHandle> orphan = ProcessHandle.of(Long.parseLong(Files.readString(pidFile,
                    StandardCharsets.US_ASCII).strip())).filter(handle -> handle.info().command()
                    .map(command -> command.endsWith("docker-registry")).orElse(false));
            if (orphan.isPresent()) {
                orphan.get().destroy();
                orphan.get().onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(late -> null).join();
            }
        }
        OciRegistryProcess registry = new OciRegistryProcess(directory);
        Files.writeString(pidFile, registry.pid() + "\n", StandardCharsets.US_ASCII);
        return registry;
    }

    private static ImageReference build(Path directory, URI registry) throws IOException, InterruptedException {
        Path build = directory.resolve("build");
        deleteAll(build);
        Files.createDirectories(build);
        try {
            return new BusyboxImages(build, registry).push(REPOSITORY, SCRIPT);
        } finally {
            deleteAll(build);
        }
    }

    /** The demo publisher's key pair, made at the first start; the private key readable by this user only. */
    private static KeyPair key(Path directory) throws IOException, GeneralSecurityException {
        Path privateFile = directory.resolve(KEY_FILE);
        Path publicFile = directory.resolve(PUBLIC_KEY_FILE);
        if (Files.exists(privateFile) && Files.exists(publicFile)) {
            PrivateKey secret = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateFile)));
            PublicKey known = SigningKeys.parse(Files.readString(publicFile, StandardCharsets.US_ASCII));
            return new KeyPair(known, secret);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Path written = Files.createTempFile(directory, KEY_FILE, ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(written, pair.getPrivate().getEncoded());
        Files.move(written, privateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(publicFile, SigningKeys.pem(pair.getPublic()), StandardCharsets.US_ASCII);
        return pair;
    }

    private static void deleteAll(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The registry the image is in, which the demo's container Island pulls from. */
    URI registry() {
        return registry;
    }

    ImageReference image() {
        return image;
    }

    /** The version's name: the image's build, so a rebuilt image is a new version. */
    String version() {
        return "1.0.0+" + image.hex().substring(0, 12);
    }

    ImageSigner.Signed signed() {
        return signed;
    }

    /** The publisher's public key, PEM, as it registers it. */
    String publicKeyPem() {
        return publicKeyPem;
    }

    /** The same key in a file, as the Island pins it with {@code --image-key}. */
    Path publicKeyFile() {
        return publicKeyFile;
    }

    /** Stops the registry, if this started it; its storage stays. */
    @Override
    public void close() throws InterruptedException {
        if (started != null) {
            started.close();
        }
    }
}

package io.archipelago.projections.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key that signs the chain's checkpoints, which the database never holds. Given by the operator
 * ({@code archipelago.event-chain.signing-key}: a file, or the key itself, as base64 PKCS#8; its public key beside the
 * file as {@code <file>.pub}, or in {@code archipelago.event-chain.public-key}), otherwise made at the first start and
 * kept in {@code <data-dir>/}{@value #FILE}, readable by the coordinator's user only, with its public key (base64
 * X.509) in {@value #FILE}{@code .pub} for the auditor.
 */
public final class ChainSigningKey {

    /** The private key's file in the data directory. */
    public static final String FILE = "chain-signing.key";

    private static final String ALGORITHM = "Ed25519";
    private static final Logger LOG = LoggerFactory.getLogger(ChainSigningKey.class);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private ChainSigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        if (!verifies(publicKey, new byte[] {1}, sign(new byte[] {1}))) {
            throw new IllegalArgumentException("the chain's public key does not belong to its signing key");
        }
    }

    /** The operator's key when {@code configured} is set, otherwise the one kept in {@code dataDir}. */
    static ChainSigningKey of(@Nullable String configured, @Nullable String configuredPublic, Path dataDir) {
        ChainSigningKey key = configured == null || configured.isBlank() ? kept(dataDir.resolve(FILE))
                : given(configured.strip(), configuredPublic);
        LOG.info("event chain checkpoints are signed with the Ed25519 public key {}", key.publicKeyText());
        return key;
    }

    private static ChainSigningKey given(String configured, @Nullable String configuredPublic) {
        Path file = Path.of(configured);
        if (Files.isRegularFile(file)) {
            return new ChainSigningKey(privateKey(read(file)), publicKey(read(publicFile(file))));
        }
        if (configuredPublic == null || configuredPublic.isBlank()) {
            throw new IllegalArgumentException("archipelago.event-chain.signing-key is given as base64:"
                    + " archipelago.event-chain.public-key must give its public key");
        }
        return new ChainSigningKey(privateKey(configured), publicKey(configuredPublic.strip()));
    }

    private static ChainSigningKey kept(Path file) {
        if (Files.isRegularFile(file)) {
            return new ChainSigningKey(privateKey(read(file)), publicKey(read(publicFile(file))));
        }
        try {
            KeyPair made = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Files.createDirectories(file.toAbsolutePath().getParent());
            write(publicFile(file), made.getPublic().getEncoded(), "rw-r--r--");
            write(file, made.getPrivate().getEncoded(), "rw-------");
            LOG.info("event chain signing key generated: {} (its public key for the auditor: {}.pub)", file, file);
            return new ChainSigningKey(made.getPrivate(), made.getPublic());
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("every JVM 15+ has Ed25519", impossible);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot keep the chain's signing key in " + file, failed);
        }
    }

    private static void write(Path file, byte[] key, String permissions) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            Files.deleteIfExists(next);
            Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
            Files.writeString(next, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot keep the chain's signing key in " + file, failed);
        }
    }

    /** The public key beside a private key's file. */
    public static Path publicFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    /** A public key from a file or from its base64 X.509 encoding. */
    public static PublicKey publicKey(String fileOrBase64) {
        Path file = Path.of(fileOrBase64);
        String encoded = Files.isRegularFile(file) ? read(file) : fileOrBase64;
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decode(encoded)));
        } catch (GeneralSecurityException invalid) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + invalid.getMessage(), invalid);
        }
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(decode(base64)));
        } catch (GeneralSecurityException invalid) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + invalid.getMessage(), invalid);
        }
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64.strip());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot read the key " + file, failed);
        }
    }

    /** A name for the node that holds this key when it was given none: {@code key-} and a digest of its public key. */
    public String keyId() {
        return keyId(publicKey);
    }

    /** {@code key-} and the first 8 bytes of the SHA-256 of the public key's X.509 encoding, in hex. */
    public static String keyId(PublicKey publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return "key-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }

    /** The public key as base64 X.509, as its file holds it. */
    public String publicKeyText() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    byte[] sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException failed) {
            throw new IllegalStateException("cannot sign a checkpoint: " + failed.getMessage(), failed);
        }
    }

    /** Whether {@code signature} is {@code publicKey}'s over {@code message}. */
    static boolean verifies(PublicKey publicKey, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException invalid) {
            return false;
        }
    }
}

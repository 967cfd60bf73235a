package io.archipelago.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The default {@link ArtifactStore}: content-addressed files under one directory, for an Island and a coordinator
 * that share a machine (the embedded demo). A reference's location is the {@code file:} URI of its file; opening
 * recomputes that path from the reference's hash and refuses any other, so a rogue location cannot read outside
 * the directory.
 */
public final class FileArtifactStore implements ArtifactStore {

    private final Path root;
    private final long maxBytes;

    public FileArtifactStore(Path root, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a size limit is never negative");
        }
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public ArtifactReference put(byte[] bytes, String contentType) throws IOException {
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException(bytes.length + " bytes is more than the " + maxBytes + " allowed");
        }
        String sha256 = sha256(bytes);
        Path file = file(sha256);
        Files.createDirectories(file.getParent());
        // Write beside and move, so a reader never sees half a file.
        Path partial = Files.createTempFile(file.getParent(), sha256, ".part");
        Files.write(partial, bytes);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new ArtifactReference(file.toUri().toString(), contentType, bytes.length, sha256);
    }

    @Override
    public byte[] open(ArtifactReference ref) throws IOException {
        Path file = file(ref.sha256());
        if (!file.toUri().toString().equals(ref.location())) {
            throw new IOException("not an artifact of this store: " + ref.location());
        }
        if (ref.sizeBytes() > maxBytes || !Files.isRegularFile(file) || Files.size(file) != ref.sizeBytes()) {
            throw new IOException("artifact " + ref.sha256() + " is missing, too large or not of its size");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (!sha256(bytes).equals(ref.sha256())) {
            throw new IOException("artifact " + ref.sha256() + " does not hash to its reference");
        }
        return bytes;
    }

    private Path file(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

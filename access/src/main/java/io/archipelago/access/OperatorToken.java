package io.archipelago.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's credential. Set by {@code archipelago.security.operator-token}; otherwise the coordinator makes one
 * at its first start and keeps it in {@code <data-dir>/operator-token}, readable by its own user only, so that a
 * demo runs without configuration and the token survives restarts. Compared in constant time.
 */
final class OperatorToken {

    static final String FILE = "operator-token";

    private static final Logger LOG = LoggerFactory.getLogger(OperatorToken.class);

    private final byte[] token;

    private OperatorToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    static OperatorToken of(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("archipelago.security.operator-token is blank");
        }
        return new OperatorToken(token.trim());
    }

    /** The token kept in {@code dataDir}, made there first when there is none. */
    static OperatorToken kept(Path dataDir) {
        Path file = dataDir.resolve(FILE).toAbsolutePath();
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!kept.isEmpty()) {
                    LOG.info("operator token: {} (archipelago.security.operator-token unset)", file);
                    return new OperatorToken(kept);
                }
            }
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String made = "op-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(FILE + ".next");
            Files.deleteIfExists(next);
            Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(next, made + "\n", StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("operator token generated: {} (set archipelago.security.operator-token to choose one)", file);
            return new OperatorToken(made);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot keep the operator token in " + file, failed);
        }
    }

    boolean matches(String credential) {
        return MessageDigest.isEqual(token, credential.getBytes(StandardCharsets.UTF_8));
    }
}

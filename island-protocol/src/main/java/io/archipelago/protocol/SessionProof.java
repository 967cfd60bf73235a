package io.archipelago.protocol;

import io.nats.client.NKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * An Island's proof that it holds its current NATS key, for asking the coordinator for a new session: the Island
 * signs {@code archipelago-session:<island>:<epoch second>} with its NKey seed. Without it, whoever knew an Island's
 * id could take over its session and read its jobs. It travels as two HTTP headers.
 */
public record SessionProof(long epochSecond, String signature) {

    /** Header with the signed time, in epoch seconds. */
    public static final String TIME_HEADER = "X-Island-Session-Time";

    /** Header with the Base64 Ed25519 signature by the Island's current NKey. */
    public static final String SIGNATURE_HEADER = "X-Island-Session-Signature";

    /** How far the signed time may lie from the coordinator's clock. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** Signs a proof for {@code islandId} at {@code now} with the Island's NKey {@code seed}. */
    public static SessionProof sign(String islandId, String seed, Instant now) {
        try {
            byte[] signature = NKey.fromSeed(seed.toCharArray()).sign(text(islandId, now.getEpochSecond()));
            return new SessionProof(now.getEpochSecond(), Base64.getEncoder().encodeToString(signature));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException failed) {
            throw new IllegalArgumentException("not an NKey seed", failed);
        }
    }

    /** Whether this proof was signed for {@code islandId} by the key {@code publicKey}, close enough to {@code now}. */
    public boolean isValid(String islandId, String publicKey, Instant now) {
        if (Math.abs(now.getEpochSecond() - epochSecond) > TOLERANCE.toSeconds()) {
            return false;
        }
        try {
            return NKey.fromPublicKey(publicKey.toCharArray()).verify(text(islandId, epochSecond),
                    Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException invalid) {
            return false;
        }
    }

    private static byte[] text(String islandId, long epochSecond) {
        return ("archipelago-session:" + islandId + ":" + epochSecond).getBytes(StandardCharsets.UTF_8);
    }
}

package io.archipelago.protocol;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates a NATS connection with an NKey seed: the server sends a nonce, the client signs it. Only the public
 * key is ever written into the server's configuration.
 */
public final class NKeyAuth implements AuthHandler {

    private final NKey key;

    private NKeyAuth(NKey key) {
        this.key = key;
    }

    /** An authenticator for the user whose seed is {@code seed} (an NKey user seed, "SU…"). */
    public static NKeyAuth fromSeed(String seed) {
        return new NKeyAuth(NKey.fromSeed(seed.toCharArray()));
    }

    @Override
    public byte[] sign(byte[] nonce) {
        try {
            return key.sign(nonce);
        } catch (GeneralSecurityException | IOException failed) {
            throw new IllegalStateException("cannot sign the NATS nonce", failed);
        }
    }

    @Override
    public char[] getID() {
        try {
            return key.getPublicKey();
        } catch (GeneralSecurityException | IOException failed) {
            throw new IllegalStateException("cannot derive the NKey public key", failed);
        }
    }

    /** NKey users carry no JWT: the server knows them by public key. */
    @Override
    public char @Nullable [] getJWT() {
        return null;
    }
}

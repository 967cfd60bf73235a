package io.archipelago.bridge.nats;

import io.nats.client.NKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/** A fresh NKey user: its seed (the secret, handed to one party) and its public key (written to the server). */
record NKeys(String seed, String publicKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static NKeys create() {
        try {
            NKey key = NKey.createUser(RANDOM);
            return new NKeys(new String(key.getSeed()), new String(key.getPublicKey()));
        } catch (GeneralSecurityException | IOException failed) {
            throw new IllegalStateException("cannot create an NKey", failed);
        }
    }

    static String publicKeyOf(String seed) {
        try {
            return new String(NKey.fromSeed(seed.toCharArray()).getPublicKey());
        } catch (GeneralSecurityException | IOException failed) {
            throw new IllegalArgumentException("not an NKey seed", failed);
        }
    }
}

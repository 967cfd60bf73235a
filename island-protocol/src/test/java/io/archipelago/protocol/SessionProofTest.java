package io.archipelago.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.NKey;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionProofTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void holdsForItsIslandAndKeyNearTheTimeItWasSigned() throws Exception {
        NKey key = NKey.createUser(new SecureRandom());
        String seed = new String(key.getSeed());
        String publicKey = new String(key.getPublicKey());
        NKey other = NKey.createUser(new SecureRandom());

        SessionProof proof = SessionProof.sign("island-a", seed, NOW);

        assertThat(proof.isValid("island-a", publicKey, NOW.plusSeconds(60))).isTrue();
        assertThat(proof.isValid("island-b", publicKey, NOW)).isFalse();
        assertThat(proof.isValid("island-a", new String(other.getPublicKey()), NOW)).isFalse();
        assertThat(proof.isValid("island-a", publicKey, NOW.plus(SessionProof.TOLERANCE).plusSeconds(1))).isFalse();
        assertThat(new SessionProof(proof.epochSecond(), "bm90IGEgc2lnbmF0dXJl").isValid("island-a", publicKey, NOW))
                .isFalse();
    }
}

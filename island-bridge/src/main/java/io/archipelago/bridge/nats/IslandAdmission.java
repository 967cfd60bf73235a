package io.archipelago.bridge.nats;

import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.SessionProof;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Hands a registered Island what it needs to connect to NATS, confined to its own subjects. */
public interface IslandAdmission {

    /**
     * Admits {@code islandId} to the NATS server: a new NKey user whose permissions cover only the Island's own
     * subjects (any earlier key of the Island stops working). The first admission of an Island is free; every later
     * one needs {@code proof} that the caller holds the Island's current key, so nobody else can take its session.
     * Returns once the server accepts the new key.
     *
     * @throws SessionRefused when the Island has a key and {@code proof} does not show it
     */
    IslandSession admit(String islandId, @Nullable SessionProof proof, Instant now) throws SessionRefused;

    /** An external NATS server whose users are managed there: Islands come with their own credentials. */
    static IslandAdmission external(String natsUrl) {
        return (islandId, proof, now) -> new IslandSession(islandId, natsUrl, null);
    }

    /** A new session the caller may not have: the Island has a key and the caller did not prove it holds it. */
    final class SessionRefused extends Exception {

        private static final long serialVersionUID = 1L;

        public SessionRefused(String reason) {
            super(reason);
        }
    }
}

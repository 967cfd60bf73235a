package io.archipelago.bridge.nats;

import io.archipelago.protocol.IslandSession;

/** Hands a registered Island what it needs to connect to NATS, confined to its own subjects. */
public interface IslandAdmission {

    /**
     * Admits {@code islandId} to the NATS server: a new NKey user whose permissions cover only the Island's own
     * subjects (any earlier key of the Island stops working). Returns once the server accepts the new key.
     */
    IslandSession admit(String islandId);

    /** An external NATS server whose users are managed there: Islands come with their own credentials. */
    static IslandAdmission external(String natsUrl) {
        return islandId -> new IslandSession(islandId, natsUrl, null);
    }
}

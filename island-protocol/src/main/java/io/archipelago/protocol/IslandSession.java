package io.archipelago.protocol;

import org.jspecify.annotations.Nullable;

/**
 * What an Island needs to join the bridge, handed out by the coordinator over HTTP once the Island is registered:
 * the NATS server to connect to and the Island's own NKey seed (null when the NATS server is external and
 * credentials are managed there). The seed's user may only subscribe to {@link Subjects#inbound} and publish to
 * {@link Subjects#outbound}.
 */
public record IslandSession(String islandId, String natsUrl, @Nullable String nkeySeed) {
}

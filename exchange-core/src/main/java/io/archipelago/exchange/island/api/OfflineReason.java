package io.archipelago.exchange.island.api;

/** Why an Island went offline. Only missed heartbeats count against its uptime karma. */
public enum OfflineReason {
    /** The host took the Island down. */
    HOST_REQUEST,
    /** The coordinator stopped hearing from the Island. */
    HEARTBEATS_MISSED
}

package io.archipelago.exchange.account.api;

/** How a cached answer matched its request. */
public enum CacheTier {
    /** The normalized request equals one answered before, byte for byte. */
    EXACT,
    /** The request is a near-duplicate of one answered before, as judged by embeddings and guards. */
    SEMANTIC
}

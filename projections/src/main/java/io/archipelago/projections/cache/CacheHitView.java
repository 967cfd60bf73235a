package io.archipelago.projections.cache;

/** The answers one account was served from one tier of the inference cache, and the micro-credits they saved. */
public record CacheHitView(String accountId, String tier, long hits, long savedMicroCredits) {
}

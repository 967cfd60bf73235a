package io.archipelago.exchange.market.api;

/** The unit a Cargo type is priced in. */
public enum CargoUnit {
    THOUSAND_TOKENS,
    IMAGE,
    SECOND
}

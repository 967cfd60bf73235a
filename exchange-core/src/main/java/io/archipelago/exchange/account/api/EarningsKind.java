package io.archipelago.exchange.account.api;

/** What an amount earned from a job pays for. */
public enum EarningsKind {
    /** The Island's asking price × units: the host's. */
    HOST,
    /** The Cargo royalty × units: the publisher's. */
    ROYALTY,
    /** The platform fee × units: the platform's. */
    PLATFORM_FEE
}

package io.archipelago.exchange.ledger;

/** Where an account's money sits. */
public enum Bucket {
    /** Credits a consumer may spend. */
    AVAILABLE,
    /** Credits reserved for jobs not yet settled. */
    ESCROW,
    /** What a host, publisher or the platform earned and has not yet paid out. */
    EARNINGS,
    /** Earnings on their way out of the exchange. */
    PAYOUTS_IN_FLIGHT
}

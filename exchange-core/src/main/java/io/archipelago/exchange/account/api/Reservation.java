package io.archipelago.exchange.account.api;

/** The outcome of reserving a job's escrow. */
public enum Reservation {
    RESERVED,
    INSUFFICIENT_CREDITS,
    UNKNOWN_ACCOUNT
}

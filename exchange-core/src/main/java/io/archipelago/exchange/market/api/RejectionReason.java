package io.archipelago.exchange.market.api;

/**
 * Why a bid was turned away, grouped by the subsystem that decided: {@code MARKET_…} the market's own rules,
 * {@code LEDGER_…} money, {@code POLICY_…} the consumer's constraints.
 */
public enum RejectionReason {
    /** A job with this id was already submitted to this market. */
    MARKET_DUPLICATE_JOB,
    /** The limit price cannot even pay the Cargo's royalty, so no Island could ever take the job. */
    MARKET_LIMIT_BELOW_ROYALTY,
    /** The consumer's available credits do not cover the worst-case cost (limit × maximum units). */
    LEDGER_INSUFFICIENT_CREDITS,
    /** The consumer's account is not open. */
    LEDGER_UNKNOWN_ACCOUNT,
    /**
     * The bid's jurisdiction shares no country with the one the consumer's account binds its bids to (its bid
     * preferences): a bid may narrow the account's jurisdiction, never leave it.
     */
    POLICY_JURISDICTION_CONFLICT,
    /** The bid's minimum karma is below the one its account binds its bids to: a bid may only raise it. */
    POLICY_KARMA_CONFLICT,
    /** The bid's round-trip ceiling is above the one its account binds its bids to: a bid may only lower it. */
    POLICY_LATENCY_CONFLICT,
    /** The bid asks for unverified hosts where its account takes verified hosts only. */
    POLICY_VERIFIED_CONFLICT
}

package io.archipelago.exchange.publisher.api;

/**
 * How far the exchange vouches for a publisher. The rules for moving between tiers are in {@code TierRules} and
 * {@code docs/marketplace.md}; every move is a {@link PublisherTierChanged} with its reason.
 */
public enum PublisherTier {
    /** The platform's own account: its Cargos are the exchange's. No other account is ever Official. */
    OFFICIAL,
    /** A third party the operator has reviewed: identity, a track record of executions, no yank for cause. */
    CERTIFIED,
    /** Every new publisher: signed and verified like any other, vouched for by nobody but itself. */
    COMMUNITY
}

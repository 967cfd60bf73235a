package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces the bid preferences of a consumer's account with {@code preferences}, whole: a term left null is no longer
 * preferred. Setting the preferences the account already has records nothing.
 */
public record SetBidPreferences(@TargetAggregateIdentifier AccountId accountId, BidPreferences preferences,
                                Instant at) {
}

package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The payment rail could not pay a payout, or took back one it had paid (a reversed transfer, a failed bank payout):
 * its amount returns to the account's earnings. Repeating it changes nothing.
 */
public record RecordPayoutFailed(@TargetAggregateIdentifier AccountId accountId, String payoutId, String reason,
                                 Instant at) {
}

package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The payment rail paid out a requested payout: its amount leaves the exchange. Repeating it, or sending it after the
 * payout failed, changes nothing.
 */
public record RecordPayoutPaid(@TargetAggregateIdentifier AccountId accountId, String payoutId, Instant at) {
}

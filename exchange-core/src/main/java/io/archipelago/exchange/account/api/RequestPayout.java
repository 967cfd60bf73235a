package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A host asks for {@code amount} of its earnings to be paid out; they move to payouts in flight. */
public record RequestPayout(@TargetAggregateIdentifier AccountId accountId, String payoutId, MicroCredits amount,
                            Instant at) {
}

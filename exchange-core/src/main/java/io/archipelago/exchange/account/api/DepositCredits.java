package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Credits bought with money arrive in an account. {@code depositId} makes the deposit happen at most once. */
public record DepositCredits(@TargetAggregateIdentifier AccountId accountId, String depositId, MicroCredits amount,
                             Instant at) {
}

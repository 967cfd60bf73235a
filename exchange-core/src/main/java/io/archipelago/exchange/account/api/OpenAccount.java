package io.archipelago.exchange.account.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Opens an account for a consumer or host living in {@code country} (whose region is a bid's default jurisdiction). */
public record OpenAccount(@TargetAggregateIdentifier AccountId accountId, Country country, Instant at) {
}

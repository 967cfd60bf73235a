package io.archipelago.exchange.market.api;

import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.karma.api.Karma;
import java.time.Instant;

/** A bid entered the market with {@code escrow} (limit × maximum units) reserved from the consumer; it is placed at once or rests until {@code expiresAt}. */
public record BidSubmitted(CargoType cargo, JobId jobId, AccountId consumer, PricePerUnit limit, long maxUnits,
                           JurisdictionPolicy jurisdiction, Karma minKarma, long maxRttMicros, boolean verifiedOnly,
                           MicroCredits escrow, Instant expiresAt, Instant at) {
}

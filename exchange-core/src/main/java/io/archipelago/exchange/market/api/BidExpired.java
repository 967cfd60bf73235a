package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** A resting bid's time to live passed with no Island to take it; its escrow went back to the consumer. */
public record BidExpired(CargoType cargo, JobId jobId, AccountId consumer, MicroCredits released, Instant at) {
}

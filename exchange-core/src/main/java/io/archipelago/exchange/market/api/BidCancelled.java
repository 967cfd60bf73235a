package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** A resting bid was withdrawn by its consumer before any Island took it; its whole escrow went back. */
public record BidCancelled(CargoType cargo, JobId jobId, AccountId consumer, MicroCredits released, String reason,
                           Instant at) {
}

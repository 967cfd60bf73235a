package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;

/** A placed job failed; its whole escrow went back to the consumer. */
public record JobFailed(CargoType cargo, JobId jobId, AccountId consumer, IslandId islandId, String reason,
                        MicroCredits refunded, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Instant;

/**
 * A placed job was cancelled by its consumer after {@code units} reached it (at most its maximum): the consumer was
 * charged {@code charged} = host earnings + royalty + fee for those units at the placed price and {@code released}
 * went back to it. The Island is not at fault: its karma does not change.
 */
public record JobCancelled(CargoType cargo, JobId jobId, AccountId consumer, IslandId islandId, AccountId host,
                           AccountId publisher, long units, UnitPrice price, MicroCredits charged,
                           MicroCredits hostEarnings, MicroCredits royalty, MicroCredits fee, MicroCredits released,
                           String reason, Instant at) {
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.pricing.UnitPrice;
import java.time.Instant;

/**
 * A job was placed on an Island at a price fixed for its whole life, chosen for the lowest round-trip time (recorded
 * with the karma that broke ties).
 */
public record JobPlaced(CargoType cargo, JobId jobId, AccountId consumer, IslandId islandId, AccountId host,
                        UnitPrice price, long rttMicros, Karma karma, Instant at) {
}

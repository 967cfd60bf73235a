package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/**
 * No stage of a pipeline job was placed: {@code eligibleIslands} could take a stage at its limit (online, a free
 * slot, within price and schedule) but no chain of distinct Islands with the memory and measured hops fits within
 * the limit. Nothing was reserved.
 */
public record PipelineUnplaceable(CargoType cargo, JobId jobId, AccountId consumer, int eligibleIslands,
                                  String detail, Instant at) {
}

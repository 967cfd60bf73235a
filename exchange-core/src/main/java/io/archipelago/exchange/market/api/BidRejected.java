package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;

/** A bid was turned away; nothing was reserved. */
public record BidRejected(CargoType cargo, JobId jobId, AccountId consumer, RejectionReason reason, String detail,
                          Instant at) {
}

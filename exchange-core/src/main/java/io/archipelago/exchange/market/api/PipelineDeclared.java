package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;

/** A Cargo type runs as a pipeline of these stages from now on (the shape replaces any earlier one). */
public record PipelineDeclared(CargoType cargo, PipelineShape shape, AccountId by, Instant at) {
}

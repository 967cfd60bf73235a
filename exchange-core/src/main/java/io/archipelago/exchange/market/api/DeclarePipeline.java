package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Declares that a Cargo type runs as a pipeline of stages; by its publisher or the platform. */
public record DeclarePipeline(@TargetAggregateIdentifier CargoType cargo, PipelineShape shape, AccountId by,
                              Instant at) {
}

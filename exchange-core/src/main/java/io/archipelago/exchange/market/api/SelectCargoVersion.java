package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Makes {@code version} the one new jobs of the Cargo type run, as rollout {@code rollout} decided at {@code at}
 * (its winner promoted, or its incumbent kept after a rollback), for {@code reason}. Only an active version may be
 * selected; a decision taken before a version was published since, or naming the version already selected, changes
 * nothing.
 */
public record SelectCargoVersion(@TargetAggregateIdentifier CargoType cargo, String version, String rollout,
                                 String reason, Instant at) {
}

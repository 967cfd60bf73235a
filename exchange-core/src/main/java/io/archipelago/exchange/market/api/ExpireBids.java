package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Expires every resting bid whose time to live has passed at {@code at}, releasing its escrow. */
public record ExpireBids(@TargetAggregateIdentifier CargoType cargo, Instant at) {
}

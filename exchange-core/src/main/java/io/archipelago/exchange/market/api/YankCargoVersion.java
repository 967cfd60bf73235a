package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Yanks a version, by its publisher or the platform, for a stated reason: it is never placed again. */
public record YankCargoVersion(@TargetAggregateIdentifier CargoType cargo, String version, AccountId by,
                               String reason, Instant at) {
}

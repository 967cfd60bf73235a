package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Deprecates a version, by its publisher or the platform, for a stated reason. */
public record DeprecateCargoVersion(@TargetAggregateIdentifier CargoType cargo, String version, AccountId by,
                                    String reason, Instant at) {
}

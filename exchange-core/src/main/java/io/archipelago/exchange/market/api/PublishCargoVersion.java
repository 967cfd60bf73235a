package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Publishes a version of a Cargo type into its open market: refused, with nothing recorded, unless {@code publisher}
 * has a publisher profile, the manifest's unit is the market's, and {@code signature} is the publisher's key's over a
 * payload naming {@code image}. {@code version} is 1-64 letters, digits, '.', '_', '+' or '-', new on this market.
 */
public record PublishCargoVersion(@TargetAggregateIdentifier CargoType cargo, String version, AccountId publisher,
                                  CargoImage image, VersionManifest manifest, CargoSignature signature,
                                  Instant at) {
}

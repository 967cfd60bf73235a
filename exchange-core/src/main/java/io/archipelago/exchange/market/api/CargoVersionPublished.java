package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;

/**
 * A Cargo version was published, its signature verified against {@code signingKey} (the publisher's key at the
 * time, Base64 DER SubjectPublicKeyInfo), so an auditor or an Island can check it again from this event alone.
 */
public record CargoVersionPublished(CargoType cargo, String version, AccountId publisher, CargoImage image,
                                    VersionManifest manifest, CargoSignature signature, String signingKey,
                                    Instant at) {
}

package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives an account a publisher profile: a display name (1-100 characters) and the ECDSA P-256 public key its Cargo
 * versions are signed with, as PEM or JWK text.
 */
public record RegisterPublisher(@TargetAggregateIdentifier AccountId publisher, String name, String signingKey,
                                Instant at) {
}

package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * Registers a new signing key for {@code publisher} (ECDSA P-256, PEM or JWK text) and retires the current one: new
 * versions must be signed with the new key, versions already published stay verifiable with their own.
 * {@code proof}, when given, is the new key's Base64 DER ECDSA signature over {@link KeyId#challenge}, proving the
 * publisher holds it; a proof that does not verify refuses the rotation. A retired key is never registered again.
 */
public record RotatePublisherKey(@TargetAggregateIdentifier AccountId publisher, String signingKey,
                                 @Nullable String proof, Instant at) {
}

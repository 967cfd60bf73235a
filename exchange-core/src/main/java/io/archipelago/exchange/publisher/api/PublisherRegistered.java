package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;

/**
 * An account became a publisher. {@code signingKey} is the Base64 of the key's DER SubjectPublicKeyInfo (ECDSA
 * P-256), whatever form it was registered in; {@code tier} is where it starts.
 */
public record PublisherRegistered(AccountId publisher, String name, String signingKey, PublisherTier tier,
                                  Instant at) {
}

package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;

/**
 * A publisher as markets see it: its current signing key (Base64 DER SubjectPublicKeyInfo), that key's id, and its
 * tier.
 */
public record PublisherProfile(AccountId publisher, String signingKey, KeyId keyId, PublisherTier tier) {
}

package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;

/** A publisher as markets see it: its signing key (Base64 DER SubjectPublicKeyInfo) and its tier. */
public record PublisherProfile(AccountId publisher, String signingKey, PublisherTier tier) {
}

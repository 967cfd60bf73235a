package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;

/**
 * {@code publisher} signs new versions with {@code signingKey} (Base64 DER SubjectPublicKeyInfo, id {@code keyId})
 * from now on; {@code retiredKeyId} can sign none any more. {@code possessionProven}: the rotation carried a
 * signature of the new key over its challenge, checked before this was recorded.
 */
public record PublisherKeyRotated(AccountId publisher, KeyId keyId, String signingKey, KeyId retiredKeyId,
                                  boolean possessionProven, Instant at) {
}

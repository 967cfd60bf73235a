package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.publisher.api.KeyId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A Cargo version was published, its signature verified against {@code signingKey} (the publisher's key at the
 * time, Base64 DER SubjectPublicKeyInfo, whose id is {@code signingKeyId}), so an auditor or an Island can check it
 * again from this event alone, also after the publisher rotated its key. {@code signingKeyId} is null in events
 * stored before keys had ids: it is {@code KeyId.of(signingKey)}.
 */
public record CargoVersionPublished(CargoType cargo, String version, AccountId publisher, CargoImage image,
                                    VersionManifest manifest, CargoSignature signature, String signingKey,
                                    Instant at, @Nullable KeyId signingKeyId) {

    /** A version whose key id is left to be computed from its key. */
    public CargoVersionPublished(CargoType cargo, String version, AccountId publisher, CargoImage image,
                                 VersionManifest manifest, CargoSignature signature, String signingKey, Instant at) {
        this(cargo, version, publisher, image, manifest, signature, signingKey, at, null);
    }

    /** The id of the key the version was signed with. */
    public KeyId keyId() {
        return signingKeyId != null ? signingKeyId : KeyId.of(signingKey);
    }
}

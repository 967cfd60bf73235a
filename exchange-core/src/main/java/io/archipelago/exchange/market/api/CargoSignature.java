package io.archipelago.exchange.market.api;

/**
 * A cosign signature as the registry stores it under the image's {@code sha256-<digest>.sig} tag: {@code payload}
 * the Base64 of the simple-signing JSON's exact bytes, {@code signature} the Base64 DER ECDSA P-256 signature over
 * them.
 */
public record CargoSignature(String payload, String signature) {

    public CargoSignature {
        if (signature == null || signature.isBlank()) {
            throw new IllegalArgumentException("the image is unsigned: a cosign signature is required");
        }
        if (payload == null || payload.isBlank()) {
            throw new IllegalArgumentException("the signed simple-signing payload is missing");
        }
        if (payload.length() > 16_384 || signature.length() > 1_024) {
            throw new IllegalArgumentException("a signature payload is at most 16 KiB and a signature 1 KiB");
        }
    }
}

/**
 * Cosign's signature format for Cargo images, in the JDK's own crypto: the simple-signing payload naming an image's
 * manifest digest, ECDSA P-256 / SHA-256 signatures over it, and publishers' public keys in PEM or JWK.
 */
@NullMarked
package io.archipelago.protocol.cosign;

import org.jspecify.annotations.NullMarked;

package io.archipelago.protocol.cosign;

/** A signature, payload or key that does not prove what it must; the message says which and why. */
public final class SignatureRefused extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SignatureRefused(String message) {
        super(message);
    }

    public SignatureRefused(String message, Throwable cause) {
        super(message, cause);
    }
}

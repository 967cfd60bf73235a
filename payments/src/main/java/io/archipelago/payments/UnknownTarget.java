package io.archipelago.payments;

/** The account or Island a payment request names does not exist in the exchange. */
final class UnknownTarget extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownTarget(String message) {
        super(message);
    }
}

package io.archipelago.payments;

/** The account or Island a payment request names does not exist in the exchange. */
final class UnknownTarget extends RuntimeException {

    UnknownTarget(String message) {
        super(message);
    }
}

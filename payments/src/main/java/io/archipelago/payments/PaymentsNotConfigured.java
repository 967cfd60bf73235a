package io.archipelago.payments;

/** Thrown when a payment needs Stripe and no Stripe keys are configured: payments are off, nothing is pretended. */
final class PaymentsNotConfigured extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PaymentsNotConfigured() {
        super("payments are not configured");
    }
}

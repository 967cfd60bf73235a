package io.archipelago.payments;

/** A webhook delivery that is not provably Stripe's: no, a forged, a tampered or a stale signature, or no event. */
final class WebhookRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WebhookRejected(String message) {
        super(message);
    }
}

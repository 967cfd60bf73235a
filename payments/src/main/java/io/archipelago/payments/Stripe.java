package io.archipelago.payments;

import com.stripe.StripeClient;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The exchange's access to Stripe: the API client and the webhook secret, or neither. Payments are on only when both
 * {@code STRIPE_API_KEY} and {@code STRIPE_WEBHOOK_SECRET} are set; otherwise every use says so plainly.
 */
final class Stripe {

    private final @Nullable StripeClient client;
    private final String webhookSecret;
    private final Duration tolerance;
    private final Clock clock;

    Stripe(@Nullable StripeClient client, String webhookSecret, Duration tolerance, Clock clock) {
        this.client = webhookSecret.isBlank() ? null : client;
        this.webhookSecret = webhookSecret;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    boolean on() {
        return client != null;
    }

    /** The API client; throws {@link PaymentsNotConfigured} when payments are off. */
    StripeClient client() {
        if (client == null) {
            throw new PaymentsNotConfigured();
        }
        return client;
    }

    /**
     * The event a webhook delivered, once its signature proves that Stripe sent exactly this body within the
     * tolerance window.
     *
     * @throws WebhookRejected when the signature is missing, does not match the raw body, or is too old
     */
    Event verify(String payload, @Nullable String signature) {
        if (!on()) {
            throw new PaymentsNotConfigured();
        }
        if (signature == null || signature.isBlank()) {
            throw new WebhookRejected("the Stripe-Signature header is missing");
        }
        long signedAt = signedAt(signature);
        if (signedAt > clock.instant().getEpochSecond() + tolerance.toSeconds()) {
            // Stripe's library bounds only a signature's age; one dated ahead would stay replayable until then
            throw new WebhookRejected("the signature is dated in the future, beyond the tolerance of "
                    + tolerance.toSeconds() + " s");
        }
        try {
            return Webhook.constructEvent(payload, signature, webhookSecret, tolerance.toSeconds(), clock);
        } catch (SignatureVerificationException forged) {
            throw new WebhookRejected("the signature does not prove that Stripe sent this body now: "
                    + forged.getMessage());
        } catch (RuntimeException unreadable) {
            throw new WebhookRejected("the body is not a Stripe event");
        }
    }

    /** The {@code t=} timestamp of a {@code Stripe-Signature} header, in epoch seconds; 0 when it names none. */
    private static long signedAt(String signature) {
        for (String element : signature.split(",")) {
            String item = element.trim();
            if (item.startsWith("t=")) {
                try {
                    return Long.parseLong(item.substring(2));
                } catch (NumberFormatException malformed) {
                    throw new WebhookRejected("the signature's timestamp is not a number");
                }
            }
        }
        return 0;
    }
}

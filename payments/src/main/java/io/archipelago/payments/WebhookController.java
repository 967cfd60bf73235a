package io.archipelago.payments;

import com.stripe.model.Event;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives Stripe's webhooks. The signature is checked on the raw bytes as they arrived, before anything is parsed
 * or changed; a forged, tampered or stale delivery gets a 400 problem and changes nothing.
 */
@RestController
final class WebhookController {

    private final Stripe stripe;
    private final WebhookInbox inbox;

    WebhookController(Stripe stripe, WebhookInbox inbox) {
        this.stripe = stripe;
        this.inbox = inbox;
    }

    @PostMapping("/stripe/webhooks")
    WebhookInbox.Receipt receive(
            @RequestBody(required = false) byte @Nullable [] body,
            @RequestHeader(name = "Stripe-Signature", required = false) @Nullable String signature) {
        if (!stripe.on()) {
            throw new PaymentsNotConfigured();
        }
        if (body == null || body.length == 0) {
            throw new WebhookRejected("the body is empty");
        }
        Event event = stripe.verify(new String(body, StandardCharsets.UTF_8), signature);
        if (event.getId() == null || event.getType() == null) {
            throw new WebhookRejected("the body is not a Stripe event");
        }
        return inbox.receive(event);
    }
}

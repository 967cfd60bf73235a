package io.archipelago.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.identity.VerificationSession;
import com.stripe.param.identity.VerificationSessionCreateParams;
import io.archipelago.exchange.ids.IslandId;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starts a host's identity check: a Stripe Identity VerificationSession tagged with the Island, whose URL the host
 * opens. Its outcome arrives later as a webhook and becomes {@code VerifyIsland} or {@code FailIslandVerification}.
 */
@RestController
final class IdentityController {

    private final Stripe stripe;
    private final ExchangeDirectory directory;
    private final PaymentsProperties properties;

    IdentityController(Stripe stripe, ExchangeDirectory directory, PaymentsProperties properties) {
        this.stripe = stripe;
        this.directory = directory;
        this.properties = properties;
    }

    @PostMapping("/islands/{islandId}/verification")
    @ResponseStatus(HttpStatus.CREATED)
    VerificationStarted start(@PathVariable String islandId) throws StripeException {
        IslandId island = new IslandId(islandId);
        var client = stripe.client();
        directory.requireIsland(island);
        VerificationSession session = client.identity().verificationSessions().create(
                VerificationSessionCreateParams.builder()
                        .setType(VerificationSessionCreateParams.Type.DOCUMENT)
                        .setReturnUrl(properties.verificationReturnUrl())
                        .putMetadata("island_id", island.value())
                        .build());
        return new VerificationStarted(island.value(), session.getId(), session.getUrl());
    }

    /** Where the host goes to prove who they are ({@code url}), and the session that tracks it. */
    record VerificationStarted(String islandId, String sessionId, String url) {
    }
}

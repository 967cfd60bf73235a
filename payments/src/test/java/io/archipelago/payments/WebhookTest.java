package io.archipelago.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.island.api.AvailabilitySchedule;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandVerificationFailed;
import io.archipelago.exchange.island.api.IslandVerified;
import io.archipelago.exchange.island.api.RegisterIsland;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.money.MicroCredits;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stripe's webhooks: only provably Stripe's deliveries act, each event acts once, and order does not matter. */
class WebhookTest extends StripeOnContext {

    private String paidCheckout(String eventId, String sessionId, AccountId account, long cents) {
        return StripeStub.event(eventId, "checkout.session.completed",
                StripeStub.checkoutSession(sessionId, account.value(), cents, "paid"));
    }

    private long deposited(AccountId account) {
        return exchange().all(CreditsDeposited.class).stream().filter(d -> d.accountId().equals(account))
                .mapToLong(d -> d.amount().value()).sum();
    }

    @Test
    void aPaidCheckoutSessionDepositsItsCentsAsCreditsOnce() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        String payload = paidCheckout(unique("evt_"), unique("cs_"), consumer, 5_000);

        deliver(payload).andExpect(status().isOk()).andExpect(jsonPath("$.duplicate").value(false));
        deliver(payload).andExpect(status().isOk()).andExpect(jsonPath("$.duplicate").value(true));

        assertThat(deposited(consumer)).isEqualTo(MicroCredits.credits(5_000).value());
        assertThat(exchange().replayedLedger().deposits())
                .isGreaterThanOrEqualTo(BigInteger.valueOf(MicroCredits.credits(5_000).value()));
    }

    /**
     * A signed event for 10^12 cents once credited 10^18 micro-credits, past the checkout's maximum and its own
     * {@code credits} metadata. Refused events are answered and recorded as refused, so Stripe does not retry them.
     */
    @Test
    void aCheckoutSessionOutsideTheCheckoutsRangeOrItsOwnCreditsIsRefusedAndDepositsNothing() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        long tooMany = 1_000_000_000_000L;

        deliver(paidCheckout(unique("evt_"), unique("cs_"), consumer, tooMany))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value("refused: a deposit is 50 to 1000000 credits, got " + tooMany));
        deliver(StripeStub.event(unique("evt_"), "checkout.session.completed",
                StripeStub.checkoutSession(unique("cs_"), consumer.value(), tooMany, "5000", "paid")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value(containsString("was paid " + tooMany + " cents for 5000")));
        deliver(StripeStub.event(unique("evt_"), "checkout.session.completed",
                StripeStub.checkoutSession(unique("cs_"), consumer.value(), 700, "seven hundred", "paid")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value(containsString("not a whole number")));

        assertThat(deposited(consumer)).isZero();
    }

    @Test
    void twoEventsAboutOneCheckoutSessionDepositOnce() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        String session = unique("cs_");

        deliver(paidCheckout(unique("evt_"), session, consumer, 700)).andExpect(status().isOk());
        deliver(StripeStub.event(unique("evt_"), "checkout.session.async_payment_succeeded",
                StripeStub.checkoutSession(session, consumer.value(), 700, "paid"))).andExpect(status().isOk());

        assertThat(exchange().all(CreditsDeposited.class)).filteredOn(d -> d.accountId().equals(consumer))
                .singleElement().satisfies(d -> assertThat(d.depositId()).isEqualTo(session));
    }

    @Test
    void anUnpaidCheckoutSessionDepositsNothingUntilItsPaymentSucceeds() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        String session = unique("cs_");

        deliver(StripeStub.event(unique("evt_"), "checkout.session.completed",
                StripeStub.checkoutSession(session, consumer.value(), 900, "unpaid"))).andExpect(status().isOk());
        assertThat(deposited(consumer)).isZero();

        deliver(StripeStub.event(unique("evt_"), "checkout.session.async_payment_succeeded",
                StripeStub.checkoutSession(session, consumer.value(), 900, "paid"))).andExpect(status().isOk());
        assertThat(deposited(consumer)).isEqualTo(MicroCredits.credits(900).value());
    }

    @Test
    void aForgedSignatureIsRefusedAndChangesNothing() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        String eventId = unique("evt_");
        String payload = paidCheckout(eventId, unique("cs_"), consumer, 5_000);

        deliver(payload, StripeStub.sign(payload, "whsec_someone_else", Instant.now().getEpochSecond()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").exists());

        assertThat(deposited(consumer)).isZero();
        assertThat(handledEvents(eventId)).isZero();
    }

    @Test
    void aTamperedBodyIsRefusedAndChangesNothing() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        String eventId = unique("evt_");
        String signed = paidCheckout(eventId, unique("cs_"), consumer, 50);
        String tampered = signed.replace("\"amount_total\":50", "\"amount_total\":5000000");
        assertThat(tampered).isNotEqualTo(signed);

        deliver(tampered, StripeStub.sign(signed, StripeStub.WEBHOOK_SECRET, Instant.now().getEpochSecond()))
                .andExpect(status().isBadRequest());

        assertThat(deposited(consumer)).isZero();
        assertThat(handledEvents(eventId)).isZero();
    }

    @Test
    void aStaleSignatureIsRefusedAndChangesNothing() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        String eventId = unique("evt_");
        String payload = paidCheckout(eventId, unique("cs_"), consumer, 5_000);
        long tenMinutesAgo = Instant.now().minusSeconds(600).getEpochSecond();

        deliver(payload, StripeStub.sign(payload, StripeStub.WEBHOOK_SECRET, tenMinutesAgo))
                .andExpect(status().isBadRequest());

        assertThat(deposited(consumer)).isZero();
        assertThat(handledEvents(eventId)).isZero();
    }

    @Test
    void aSignatureDatedAheadIsRefusedAndChangesNothing() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        String eventId = unique("evt_");
        String payload = paidCheckout(eventId, unique("cs_"), consumer, 5_000);
        long aDayAhead = Instant.now().plusSeconds(86_400).getEpochSecond();

        deliver(payload, StripeStub.sign(payload, StripeStub.WEBHOOK_SECRET, aDayAhead))
                .andExpect(status().isBadRequest());

        assertThat(deposited(consumer)).isZero();
        assertThat(handledEvents(eventId)).isZero();
    }

    @Test
    void aDeliveryWithoutSignatureIsRefused() throws Exception {
        http.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/stripe/webhooks")
                        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                        .content(paidCheckout("evt_unsigned", "cs_unsigned", account("nobody"), 100)))
                .andExpect(status().isBadRequest());
        assertThat(handledEvents("evt_unsigned")).isZero();
    }

    @Test
    void aDepositForAnAccountTheExchangeDoesNotKnowIsRememberedAsRefused() throws Exception {
        String eventId = unique("evt_");
        deliver(paidCheckout(eventId, unique("cs_"), account(unique("ghost")), 100))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value(org.hamcrest.Matchers.startsWith("refused")));
        assertThat(handledEvents(eventId)).isOne();
    }

    private IslandId registeredIsland() {
        IslandId island = new IslandId(unique("island"));
        commands.sendAndWait(new RegisterIsland(island, account(unique("host")), TestExchange.GERMANY,
                Set.of(new CargoType("llm.identity")), 1, AvailabilitySchedule.ALWAYS, false, TestExchange.T0));
        return island;
    }

    private long verified(IslandId island) {
        return exchange().all(IslandVerified.class).stream().filter(v -> v.islandId().equals(island)).count();
    }

    private long failedVerifications(IslandId island) {
        return exchange().all(IslandVerificationFailed.class).stream().filter(v -> v.islandId().equals(island))
                .count();
    }

    @Test
    void aVerifiedIdentitySessionVerifiesTheIsland() throws Exception {
        IslandId island = registeredIsland();

        deliver(StripeStub.event(unique("evt_"), "identity.verification_session.verified",
                StripeStub.verificationSession(unique("vs_"), island.value(), "verified")))
                .andExpect(status().isOk());

        assertThat(verified(island)).isOne();
    }

    @Test
    void aSessionThatNeedsInputRecordsAFailedVerification() throws Exception {
        IslandId island = registeredIsland();

        deliver(StripeStub.event(unique("evt_"), "identity.verification_session.requires_input",
                StripeStub.verificationSession(unique("vs_"), island.value(), "requires_input")))
                .andExpect(status().isOk());

        assertThat(exchange().all(IslandVerificationFailed.class)).filteredOn(f -> f.islandId().equals(island))
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("document_unverified_other"));
        assertThat(verified(island)).isZero();
    }

    @Test
    void aFailureDeliveredAfterTheVerificationLeavesTheIslandVerified() throws Exception {
        IslandId island = registeredIsland();
        String session = unique("vs_");
        String requiresInput = StripeStub.event(unique("evt_"), "identity.verification_session.requires_input",
                StripeStub.verificationSession(session, island.value(), "requires_input"));
        String verifiedEvent = StripeStub.event(unique("evt_"), "identity.verification_session.verified",
                StripeStub.verificationSession(session, island.value(), "verified"));

        deliver(verifiedEvent).andExpect(status().isOk());
        deliver(requiresInput).andExpect(status().isOk());
        deliver(verifiedEvent).andExpect(status().isOk()).andExpect(jsonPath("$.duplicate").value(true));

        assertThat(verified(island)).isOne();
        assertThat(failedVerifications(island)).isZero();
    }

    @Test
    void eventsTheExchangeDoesNotActOnAreAcknowledged() throws Exception {
        String eventId = unique("evt_");
        deliver(StripeStub.event(eventId, "customer.created", "{\"id\":\"cus_1\",\"object\":\"customer\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value(org.hamcrest.Matchers.startsWith("ignored")));
        assertThat(handledEvents(eventId)).isOne();
    }

    /** A signed event that names no API version is answered as refused, never a 500, and deposits nothing. */
    @Test
    void aSignedEventWithoutAnApiVersionIsRefusedAndDepositsNothing() throws Exception {
        AccountId consumer = account(unique("consumer"));
        exchange().open(consumer);
        String versioned = "\"api_version\":\"2020-08-27\",";
        for (String version : new String[] {"", "\"api_version\":null,"}) {
            String payload = paidCheckout(unique("evt_"), unique("cs_"), consumer, 5_000).replace(versioned, version);
            deliver(payload).andExpect(status().isOk())
                    .andExpect(jsonPath("$.outcome").value(containsString("refused: the object of event")));
        }
        assertThat(deposited(consumer)).isZero();
    }
}

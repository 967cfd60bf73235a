package io.archipelago.payments;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * One application context for every test with payments on: Stripe keys set, the API at the local stub, no retries
 * inside stripe-java (so the module's own retries show), a short read timeout and a short payout retry interval.
 */
@SpringBootTest(classes = PaymentsTestApplication.class)
@AutoConfigureMockMvc
abstract class StripeOnContext {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @Autowired
    MockMvc http;
    @Autowired
    CommandGateway commands;
    @Autowired
    EventStore events;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry properties) {
        properties.add("STRIPE_API_KEY", () -> StripeStub.API_KEY);
        properties.add("STRIPE_WEBHOOK_SECRET", () -> StripeStub.WEBHOOK_SECRET);
        properties.add("STRIPE_API_BASE", StripeStub::apiBase);
        properties.add("archipelago.payments.network-retries", () -> 0);
        properties.add("archipelago.payments.read-timeout", () -> "700ms");
        properties.add("archipelago.payouts.retry-interval", () -> "200ms");
        properties.add("archipelago.payouts.check-interval", () -> "1h");
    }

    TestExchange exchange() {
        return new TestExchange(commands, events);
    }

    /** A name no other test uses, so tests sharing the event store stay apart. */
    static String unique(String stem) {
        return stem + NAMES.incrementAndGet();
    }

    static AccountId account(String name) {
        return new AccountId(name);
    }

    /** Delivers {@code payload} to the webhook endpoint signed with the real secret, now. */
    ResultActions deliver(String payload) throws Exception {
        return deliver(payload, StripeStub.sign(payload, StripeStub.WEBHOOK_SECRET, Instant.now().getEpochSecond()));
    }

    ResultActions deliver(String payload, String signature) throws Exception {
        return http.perform(MockMvcRequestBuilders.post("/stripe/webhooks")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Stripe-Signature", signature)
                .content(payload));
    }

    int handledEvents(String eventId) {
        return jdbc.queryForObject("select count(*) from stripe_webhook_event where event_id = ?", Integer.class,
                eventId);
    }
}

package io.archipelago.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.ledger.Bucket;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** Without Stripe keys payments are plainly off: their endpoints say so, and requested payouts wait. */
@SpringBootTest(classes = PaymentsTestApplication.class, properties = {
        "STRIPE_API_KEY=", "STRIPE_WEBHOOK_SECRET=",
        "archipelago.payouts.retry-interval=100ms"})
@AutoConfigureMockMvc
class PaymentsOffTest {

    @Autowired
    MockMvc http;
    @Autowired
    CommandGateway commands;
    @Autowired
    EventStore events;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PayoutDesk desk;

    @Test
    void everyPaymentEndpointAnswers404NotConfigured() throws Exception {
        for (String path : new String[] {"/accounts/consumer-1/checkout", "/islands/island-1/verification",
                "/accounts/host-1/payout-destination", "/stripe/webhooks"}) {
            http.perform(MockMvcRequestBuilders.post(path).contentType(MediaType.APPLICATION_JSON)
                            .header("Stripe-Signature", "t=1,v1=00")
                            .content("{\"credits\":100,\"stripeAccountId\":\"acct_1\",\"id\":\"evt_1\"}"))
                    .andExpect(status().isNotFound())
                    .andExpect(jsonPath("$.status").value(404))
                    .andExpect(jsonPath("$.detail").value("payments are not configured"));
        }
        http.perform(MockMvcRequestBuilders.get("/stripe/reconciliation"))
                .andExpect(status().isNotFound());
    }

    @Test
    void aRequestedPayoutStaysRequestedAndNothingPretendsToHavePaid() {
        TestExchange exchange = new TestExchange(commands, events);
        AccountId host = new AccountId("off-host");
        exchange.open(host);
        exchange.hostEarns("OFF", host, 200);

        commands.sendAndWait(new RequestPayout(host, "p-1", MicroCredits.credits(200), Instant.now()));

        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "select count(*) from payout where account_id = ?", Integer.class, host.value()) == 1);
        assertThat(desk.payDue()).isZero();
        assertThat(jdbc.queryForObject("select state from payout where account_id = ?", String.class, host.value()))
                .isEqualTo("REQUESTED");
        assertThat(exchange.all(PayoutPaid.class)).isEmpty();
        assertThat(exchange.replayedLedger().balance(host, Bucket.PAYOUTS_IN_FLIGHT))
                .isEqualTo(MicroCredits.credits(200));
    }
}

package io.archipelago.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.ledger.Bucket;
import io.archipelago.exchange.ledger.Ledger;
import io.archipelago.exchange.money.MicroCredits;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Payouts through Stripe Connect transfers: paid once even when Stripe's answer is lost, failed back into earnings
 * when Stripe refuses or reverses, and the ledger conserves money through all of it.
 */
class PayoutTest extends StripeOnContext {

    private static final MicroCredits EARNED = MicroCredits.credits(300);
    /** What {@link #EARNED} is worth at 1 credit = USD 0.01. */
    private static final long CENTS = 300;

    @Autowired
    PayoutThreshold threshold;
    @Autowired
    Reconciliation reconciliation;

    @BeforeEach
    void startAfresh() {
        StripeStub.server().resetAll();
        // Hosts of earlier tests keep their earnings; without a destination no threshold or retry touches them.
        jdbc.update("delete from payout_destination");
    }

    /** A host with {@link #EARNED} of earnings and a linked Connect account. */
    private AccountId hostWithEarnings() throws Exception {
        AccountId host = account(unique("host"));
        exchange().open(host);
        exchange().hostEarns(unique("J"), host, EARNED.value() / MicroCredits.PER_CREDIT);
        http.perform(MockMvcRequestBuilders.post("/accounts/" + host + "/payout-destination")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"stripeAccountId\":\"acct_host1\"}"))
                .andExpect(status().isOk());
        return host;
    }

    private void requestPayout(AccountId host, String payoutId) {
        commands.sendAndWait(new RequestPayout(host, payoutId, EARNED, Instant.now()));
    }

    private <E> List<E> eventsOf(AccountId host, Class<E> type) {
        return exchange().all().stream().map(EventMessage::getPayload).filter(type::isInstance).map(type::cast)
                .filter(event -> event.toString().contains("accountId=" + host + ","))
                .toList();
    }

    private String keyOf(AccountId host, String payoutId) {
        EventMessage<?> requested = exchange().all().stream()
                .filter(e -> e.getPayload() instanceof PayoutRequested r && r.accountId().equals(host)
                        && r.payoutId().equals(payoutId))
                .findFirst().orElseThrow();
        return PayoutLedger.idempotencyKey(requested.getIdentifier());
    }

    private static List<LoggedRequest> transferRequests() {
        return StripeStub.server().findAll(postRequestedFor(urlEqualTo("/v1/transfers")));
    }

    private static void transfersSucceed(String transferId, AccountId host, String payoutId) {
        StripeStub.server().stubFor(post(urlEqualTo("/v1/transfers"))
                .willReturn(okJson(StripeStub.transfer(transferId, host.value(), payoutId, CENTS, 0))));
    }

    private void awaitPaid(AccountId host) {
        await().atMost(Duration.ofSeconds(10)).until(() -> eventsOf(host, PayoutPaid.class).size() == 1);
    }

    @Test
    void aTransferThatTimesOutAfterStripeExecutedItIsRetriedWithTheSameKeyAndPaysOnce() throws Exception {
        AccountId host = hostWithEarnings();
        String transfer = StripeStub.transfer("tr_timeout", host.value(), "p-1", CENTS, 0);
        // Stripe executes the first request but its answer comes too late; the retry gets the stored answer.
        StripeStub.server().stubFor(post(urlEqualTo("/v1/transfers")).inScenario("lost answer")
                .whenScenarioStateIs(STARTED)
                .willReturn(okJson(transfer).withFixedDelay(2_000))
                .willSetStateTo("executed"));
        StripeStub.server().stubFor(post(urlEqualTo("/v1/transfers")).inScenario("lost answer")
                .whenScenarioStateIs("executed")
                .willReturn(okJson(transfer)));

        requestPayout(host, "p-1");
        awaitPaid(host);

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> transferRequests().size() == 2);
        List<LoggedRequest> requests = transferRequests();
        String key = keyOf(host, "p-1");
        assertThat(requests).extracting(r -> r.getHeader("Idempotency-Key")).containsExactly(key, key);
        assertThat(requests.get(0).getBodyAsString()).contains("amount=300&", "currency=usd",
                "destination=acct_host1", "metadata[payout_id]=p-1&", "metadata[account_id]=" + host + "&");
        assertThat(eventsOf(host, PayoutPaid.class)).singleElement()
                .satisfies(paid -> assertThat(paid.amount()).isEqualTo(EARNED));

        Ledger ledger = exchange().replayedLedger();
        assertThat(ledger.balance(host, Bucket.EARNINGS)).isEqualTo(MicroCredits.ZERO);
        assertThat(ledger.balance(host, Bucket.PAYOUTS_IN_FLIGHT)).isEqualTo(MicroCredits.ZERO);
        assertThat(ledger.payouts()).isGreaterThanOrEqualTo(BigInteger.valueOf(EARNED.value()));
    }

    @Test
    void aTransferStripeRefusesFailsThePayoutBackIntoEarnings() throws Exception {
        AccountId host = hostWithEarnings();
        StripeStub.server().stubFor(post(urlEqualTo("/v1/transfers")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"account_invalid\","
                        + "\"message\":\"No such destination: 'acct_host1'\"}}")));

        requestPayout(host, "p-1");

        await().atMost(Duration.ofSeconds(10)).until(() -> eventsOf(host, PayoutFailed.class).size() == 1);
        assertThat(eventsOf(host, PayoutFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.reversed()).isFalse();
            assertThat(failed.reason()).contains("account_invalid");
        });
        assertThat(eventsOf(host, PayoutPaid.class)).isEmpty();
        Ledger ledger = exchange().replayedLedger();
        assertThat(ledger.balance(host, Bucket.EARNINGS)).isEqualTo(EARNED);
        assertThat(ledger.balance(host, Bucket.PAYOUTS_IN_FLIGHT)).isEqualTo(MicroCredits.ZERO);
    }

    @Test
    void aReversedTransferReturnsAPaidPayoutToEarningsOnceHoweverOftenItIsDelivered() throws Exception {
        AccountId host = hostWithEarnings();
        transfersSucceed("tr_reversed", host, "p-1");
        requestPayout(host, "p-1");
        awaitPaid(host);

        String reversed = StripeStub.event(unique("evt_"), "transfer.reversed",
                StripeStub.transfer("tr_reversed", host.value(), "p-1", CENTS, CENTS));
        deliver(reversed).andExpect(status().isOk());
        deliver(reversed).andExpect(status().isOk());
        deliver(StripeStub.event(unique("evt_"), "transfer.reversed",
                StripeStub.transfer("tr_reversed", host.value(), "p-1", CENTS, CENTS))).andExpect(status().isOk());

        assertThat(eventsOf(host, PayoutFailed.class)).singleElement()
                .satisfies(failed -> assertThat(failed.reversed()).isTrue());
        Ledger ledger = exchange().replayedLedger();
        assertThat(ledger.balance(host, Bucket.EARNINGS)).isEqualTo(EARNED);
        assertThat(ledger.balance(host, Bucket.PAYOUTS_IN_FLIGHT)).isEqualTo(MicroCredits.ZERO);
    }

    @Test
    void aFailedBankPayoutTakesTheTransferBackAndReturnsTheMoneyToEarnings() throws Exception {
        AccountId host = hostWithEarnings();
        transfersSucceed("tr_bank", host, "p-1");
        StripeStub.server().stubFor(post(urlEqualTo("/v1/transfers/tr_bank/reversals")).willReturn(okJson(
                "{\"id\":\"trr_1\",\"object\":\"transfer_reversal\",\"amount\":300,\"transfer\":\"tr_bank\"}")));
        requestPayout(host, "p-1");
        awaitPaid(host);

        deliver(StripeStub.event(unique("evt_"), "payout.failed",
                StripeStub.bankPayout("po_1", host.value(), "p-1", CENTS))).andExpect(status().isOk());
        deliver(StripeStub.event(unique("evt_"), "payout.failed",
                StripeStub.bankPayout("po_1", host.value(), "p-1", CENTS))).andExpect(status().isOk());

        List<LoggedRequest> reversals = StripeStub.server()
                .findAll(postRequestedFor(urlEqualTo("/v1/transfers/tr_bank/reversals")));
        assertThat(reversals).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsOnly(keyOf(host, "p-1") + "-reversal");
        assertThat(eventsOf(host, PayoutFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.reversed()).isTrue();
            assertThat(failed.reason()).contains("account_closed");
        });
        assertThat(exchange().replayedLedger().balance(host, Bucket.EARNINGS)).isEqualTo(EARNED);
    }

    @Test
    void aPayoutWithoutALinkedDestinationStaysRequested() {
        AccountId host = account(unique("host"));
        exchange().open(host);
        exchange().hostEarns(unique("J"), host, 300);

        requestPayout(host, "p-1");

        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "select last_error from payout where account_id = ?", String.class, host.value()) != null);
        assertThat(jdbc.queryForObject("select state from payout where account_id = ?", String.class, host.value()))
                .isEqualTo("REQUESTED");
        assertThat(transferRequests()).isEmpty();
        assertThat(exchange().replayedLedger().balance(host, Bucket.PAYOUTS_IN_FLIGHT)).isEqualTo(EARNED);
    }

    @Test
    void earningsOverTheThresholdAreRequestedOnceAndPaid() throws Exception {
        AccountId host = hostWithEarnings();
        StripeStub.server().stubFor(post(urlEqualTo("/v1/transfers"))
                .withRequestBody(containing("metadata[account_id]=" + host + "&"))
                .willReturn(okJson(StripeStub.transfer("tr_auto", host.value(), "auto", CENTS, 0))));

        threshold.requestDue();
        threshold.requestDue();

        awaitPaid(host);
        assertThat(eventsOf(host, PayoutRequested.class)).singleElement().satisfies(requested -> {
            assertThat(requested.amount()).isEqualTo(EARNED);
            assertThat(requested.payoutId()).isEqualTo("auto-" + EARNED.value());
        });
    }

    @Test
    void reconciliationReportsTransfersTheLedgerDoesNotKnowAndAgreesOnPaidOnes() throws Exception {
        AccountId host = hostWithEarnings();
        transfersSucceed("tr_known", host, "p-1");
        requestPayout(host, "p-1");
        awaitPaid(host);
        StripeStub.server().stubFor(get(urlPathEqualTo("/v1/transfers")).willReturn(okJson("""
                {"object":"list","url":"/v1/transfers","has_more":false,"data":[%s,%s]}"""
                .formatted(StripeStub.transfer("tr_known", host.value(), "p-1", CENTS, 0),
                        StripeStub.transfer("tr_stranger", host.value(), "p-never", 1_234, 0)))));

        Reconciliation.Report report = reconciliation.run();

        assertThat(report.balanced()).isFalse();
        assertThat(report.drift()).anySatisfy(drift -> {
            assertThat(drift.kind()).isEqualTo("UNKNOWN_TRANSFER");
            assertThat(drift.transferId()).isEqualTo("tr_stranger");
        });
        assertThat(report.drift()).noneSatisfy(drift -> assertThat(drift.transferId()).isEqualTo("tr_known"));
        assertThat(report.drift()).filteredOn(drift -> drift.accountId().equals(host.value())
                && drift.payoutId().equals("p-1")).isEmpty();
    }
}

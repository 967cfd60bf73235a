package io.archipelago.payments;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local stand-in for Stripe: a WireMock server the real stripe-java client talks to, and webhook signatures made
 * the way Stripe makes them ({@code t=<unix seconds>,v1=hex(HMAC-SHA256(secret, t + "." + body))}).
 */
final class StripeStub {

    static final String API_KEY = "sk_test_archipelago";
    static final String WEBHOOK_SECRET = "whsec_archipelago_test";

    private static final WireMockServer SERVER = start();

    private StripeStub() {
    }

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .bindAddress("127.0.0.1").containerThreads(12));
        server.start();
        return server;
    }

    static WireMockServer server() {
        return SERVER;
    }

    static String apiBase() {
        return "http://127.0.0.1:" + SERVER.port();
    }

    /** The Stripe-Signature header for {@code payload} signed with {@code secret} at {@code epochSeconds}. */
    static String sign(String payload, String secret, long epochSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((epochSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A Stripe event wrapping {@code object} (JSON), of an API version other than the library's. */
    static String event(String id, String type, String object) {
        return """
                {"id":"%s","object":"event","api_version":"2020-08-27","created":1767225600,"livemode":false,
                 "type":"%s","data":{"object":%s}}""".formatted(id, type, object);
    }

    static String checkoutSession(String id, String accountId, long cents, String paymentStatus) {
        return checkoutSession(id, accountId, cents, Long.toString(cents), paymentStatus);
    }

    /** A Checkout Session whose {@code credits} metadata may disagree with the cents paid. */
    static String checkoutSession(String id, String accountId, long cents, String credits, String paymentStatus) {
        return """
                {"id":"%s","object":"checkout.session","payment_status":"%s","amount_total":%d,"currency":"usd",
                 "client_reference_id":"%s","metadata":{"account_id":"%s","credits":"%s"}}"""
                .formatted(id, paymentStatus, cents, accountId, accountId, credits);
    }

    static String verificationSession(String id, String islandId, String status) {
        return """
                {"id":"%s","object":"identity.verification_session","status":"%s",
                 "last_error":{"code":"document_unverified_other","reason":"unreadable"},
                 "metadata":{"island_id":"%s"}}""".formatted(id, status, islandId);
    }

    static String transfer(String id, String accountId, String payoutId, long cents, long reversedCents) {
        return """
                {"id":"%s","object":"transfer","amount":%d,"amount_reversed":%d,"reversed":%s,"currency":"usd",
                 "destination":"acct_host1","metadata":{"account_id":"%s","payout_id":"%s"}}"""
                .formatted(id, cents, reversedCents, reversedCents >= cents, accountId, payoutId);
    }

    static String bankPayout(String id, String accountId, String payoutId, long cents) {
        return """
                {"id":"%s","object":"payout","amount":%d,"currency":"usd","status":"failed",
                 "failure_code":"account_closed","metadata":{"account_id":"%s","payout_id":"%s"}}"""
                .formatted(id, cents, accountId, payoutId);
    }
}

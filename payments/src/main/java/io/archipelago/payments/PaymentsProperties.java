package io.archipelago.payments;

import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of card deposits, identity checks and webhooks ({@code archipelago.payments.*}). The Stripe keys
 * themselves come from {@code STRIPE_API_KEY}, {@code STRIPE_WEBHOOK_SECRET} and {@code STRIPE_API_BASE}.
 *
 * @param webhookTolerance how old a webhook's signed timestamp may be before it is refused as stale
 * @param checkoutSuccessUrl where Stripe Checkout sends a consumer after paying
 * @param checkoutCancelUrl where Stripe Checkout sends a consumer who gave up
 * @param verificationReturnUrl where Stripe Identity sends a host after the identity check
 * @param minimumDepositCredits the smallest deposit (Stripe charges at least USD 0.50)
 * @param maximumDepositCredits the largest single deposit, at most {@link MoneyCaps#MAX_DEPOSIT} in credits
 * @param networkRetries how often stripe-java itself retries a request that failed on the network, with the same
 *     idempotency key
 * @param readTimeout how long to wait for Stripe's answer
 */
@ConfigurationProperties("archipelago.payments")
record PaymentsProperties(
        @DefaultValue("5m") Duration webhookTolerance,
        @DefaultValue("http://localhost:8080/deposits/succeeded") String checkoutSuccessUrl,
        @DefaultValue("http://localhost:8080/deposits/canceled") String checkoutCancelUrl,
        @DefaultValue("http://localhost:8080/islands/verified") String verificationReturnUrl,
        @DefaultValue("50") long minimumDepositCredits,
        @DefaultValue("1000000") long maximumDepositCredits,
        @DefaultValue("2") int networkRetries,
        @DefaultValue("30s") Duration readTimeout) {

    PaymentsProperties {
        if (minimumDepositCredits < 1 || minimumDepositCredits > maximumDepositCredits
                || maximumDepositCredits > MoneyCaps.MAX_DEPOSIT / MicroCredits.PER_CREDIT) {
            throw new IllegalArgumentException("deposits range from 1 to " + MoneyCaps.MAX_DEPOSIT
                    / MicroCredits.PER_CREDIT + " credits, the minimum below the maximum; got "
                    + minimumDepositCredits + " to " + maximumDepositCredits);
        }
    }

    /**
     * {@code credits} as micro-credits, when a card deposit may buy that many.
     *
     * @throws IllegalArgumentException stating the range, when it is outside
     */
    MicroCredits deposit(long credits) {
        if (credits < minimumDepositCredits || credits > maximumDepositCredits) {
            throw new IllegalArgumentException("a deposit is " + minimumDepositCredits + " to "
                    + maximumDepositCredits + " credits, got " + credits);
        }
        return MicroCredits.credits(credits);
    }
}

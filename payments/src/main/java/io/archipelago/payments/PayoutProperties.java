package io.archipelago.payments;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When host earnings are paid out ({@code archipelago.payouts.*}).
 *
 * @param thresholdMicroCredits earnings at or above this are requested as a payout (whole credits) for accounts
 *     with a linked payout destination; 0 turns the automatic requests off
 * @param checkInterval how often earnings are compared with the threshold
 * @param retryInterval how long a requested payout waits before its transfer is tried again (same idempotency key)
 */
@ConfigurationProperties("archipelago.payouts")
record PayoutProperties(
        @DefaultValue("100000000") long thresholdMicroCredits,
        @DefaultValue("1m") Duration checkInterval,
        @DefaultValue("30s") Duration retryInterval) {
}

package io.archipelago.payments;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Transfer;
import com.stripe.net.RequestOptions;
import com.stripe.param.TransferCreateParams;
import com.stripe.param.TransferReversalCreateParams;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.RecordPayoutFailed;
import io.archipelago.exchange.account.api.RecordPayoutPaid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Pays requested payouts: one Stripe Transfer per payout to the host's Connect account, always with the payout's own
 * idempotency key (derived from its PayoutRequested event), then {@code RecordPayoutPaid}. A transfer whose outcome
 * is unknown (a timeout, a 5xx, a rate limit) is tried again later with the same key, so Stripe executes it at most
 * once; a transfer Stripe refuses for good becomes {@code RecordPayoutFailed} and the money returns to earnings.
 * Without Stripe keys, or without a linked destination, payouts stay requested.
 */
@Component
final class PayoutDesk {

    private static final Logger LOG = LoggerFactory.getLogger(PayoutDesk.class);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final int BATCH = 20;

    private final Stripe stripe;
    private final PayoutBook book;
    private final CommandGateway commands;
    private final PayoutProperties properties;
    private final Clock clock;

    PayoutDesk(Stripe stripe, PayoutBook book, CommandGateway commands, PayoutProperties properties, Clock clock) {
        this.stripe = stripe;
        this.book = book;
        this.commands = commands;
        this.properties = properties;
        this.clock = clock;
    }

    /** Tries every requested payout that is due; returns how many it tried. */
    int payDue() {
        if (!stripe.on()) {
            return 0;
        }
        List<PayoutBook.Payout> due = book.claimDue(clock.instant(), LEASE, BATCH);
        for (PayoutBook.Payout payout : due) {
            try {
                pay(payout);
            } catch (RuntimeException unexpected) {
                LOG.warn("payout {} of {} will be tried again: {}", payout.payoutId(), payout.accountId(),
                        unexpected.toString());
                book.retryLater(payout.accountId(), payout.payoutId(), unexpected.toString(), nextAttempt());
            }
        }
        return due.size();
    }

    private void pay(PayoutBook.Payout payout) {
        AccountId account = payout.accountId();
        if (payout.transferId() != null) {
            // Stripe already executed the transfer; only the ledger has yet to hear of it.
            commands.sendAndWait(new RecordPayoutPaid(account, payout.payoutId(), clock.instant()));
            return;
        }
        Optional<String> destination = book.destinationOf(account);
        if (destination.isEmpty()) {
            book.retryLater(account, payout.payoutId(), "no payout destination linked", nextAttempt());
            return;
        }
        long cents;
        try {
            cents = CreditRate.centsFor(payout.amount());
        } catch (IllegalArgumentException fraction) {
            fail(payout, "cannot be paid in whole cents: " + fraction.getMessage());
            return;
        }
        Transfer transfer;
        try {
            transfer = stripe.client().transfers().create(TransferCreateParams.builder()
                            .setAmount(cents)
                            .setCurrency(CreditRate.CURRENCY)
                            .setDestination(destination.get())
                            .setTransferGroup(payout.idempotencyKey())
                            .putMetadata("account_id", account.value())
                            .putMetadata("payout_id", payout.payoutId())
                            .build(),
                    RequestOptions.builder().setIdempotencyKey(payout.idempotencyKey()).build());
        } catch (StripeException failure) {
            if (isTransient(failure)) {
                LOG.info("transfer for payout {} of {} has no known outcome, tried again later with key {}: {}",
                        payout.payoutId(), account, payout.idempotencyKey(), failure.getMessage());
                book.retryLater(account, payout.payoutId(), describe(failure), nextAttempt());
            } else {
                fail(payout, "transfer refused by Stripe: " + describe(failure));
            }
            return;
        }
        book.transferred(account, payout.payoutId(), transfer.getId());
        commands.sendAndWait(new RecordPayoutPaid(account, payout.payoutId(), clock.instant()));
    }

    /**
     * Takes a paid payout's transfer back from the host's Connect account (its bank payout failed, so the money sits
     * there), with a key derived from the payout's own; the reversal may be asked for any number of times.
     *
     * @return whether there was a transfer to reverse
     */
    boolean reverse(AccountId account, String payoutId) throws StripeException {
        Optional<PayoutBook.Payout> payout = book.payout(account, payoutId);
        if (payout.isEmpty() || payout.get().transferId() == null) {
            return false;
        }
        stripe.client().transfers().reversals().create(payout.get().transferId(),
                TransferReversalCreateParams.builder()
                        .putMetadata("account_id", account.value())
                        .putMetadata("payout_id", payoutId)
                        .build(),
                RequestOptions.builder().setIdempotencyKey(payout.get().idempotencyKey() + "-reversal").build());
        return true;
    }

    private void fail(PayoutBook.Payout payout, String reason) {
        LOG.warn("payout {} of {} failed: {}", payout.payoutId(), payout.accountId(), reason);
        book.retryLater(payout.accountId(), payout.payoutId(), reason, nextAttempt());
        commands.sendAndWait(new RecordPayoutFailed(payout.accountId(), payout.payoutId(), reason, clock.instant()));
    }

    private Instant nextAttempt() {
        return clock.instant().plus(properties.retryInterval());
    }

    /** Whether Stripe may or may not have executed the request, or may accept it later: then try again. */
    static boolean isTransient(StripeException failure) {
        if (failure instanceof ApiConnectionException || failure instanceof RateLimitException
                || failure instanceof IdempotencyException || failure instanceof AuthenticationException
                || failure instanceof ApiException) {
            return true;
        }
        Integer status = failure.getStatusCode();
        return status == null || status >= 500 || status == 409 || "balance_insufficient".equals(failure.getCode());
    }

    private static String describe(StripeException failure) {
        String code = failure.getCode() == null ? "" : failure.getCode() + ": ";
        return code + failure.getMessage();
    }
}

package io.archipelago.payments;

import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Follows the ledger's payout and earnings events on a streaming processor of its own, in the same transaction as its
 * token: each PayoutRequested becomes a payout row whose idempotency key is derived from that event's identifier
 * (never random, so every attempt of the transfer sends the same key), and the payout desk is woken once it commits.
 */
@Component
@ProcessingGroup(PayoutLedger.PROCESSING_GROUP)
final class PayoutLedger {

    static final String PROCESSING_GROUP = "payments";

    private final PayoutBook book;
    private final PayoutSchedule schedule;

    PayoutLedger(PayoutBook book, PayoutSchedule schedule) {
        this.book = book;
        this.schedule = schedule;
    }

    /** The idempotency key of a payout's transfer: a function of the PayoutRequested event alone. */
    static String idempotencyKey(String payoutRequestedEventId) {
        return "archipelago-payout-" + payoutRequestedEventId;
    }

    @EventHandler
    void on(PayoutRequested event, @MessageIdentifier String eventId) {
        book.requested(event.accountId(), event.payoutId(), event.amount(), idempotencyKey(eventId), event.at());
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.afterCommit(committed -> schedule.wake()));
    }

    @EventHandler
    void on(PayoutPaid event) {
        book.paid(event.accountId(), event.payoutId());
    }

    @EventHandler
    void on(PayoutFailed event) {
        book.failed(event.accountId(), event.payoutId(), event.amount(), event.reason());
    }

    @EventHandler
    void on(EarningsCredited event) {
        book.earned(event.accountId(), event.amount());
    }

    @ResetHandler
    void reset() {
        book.reset();
    }
}

package io.archipelago.projections.payout;

import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code payout_view}. Every row of an account changes only by that account's events, in their order, and
 * remembers the last it applied, so re-delivered events change nothing.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
@WritesInBatches
final class PayoutProjection {

    private final ReadModelWrites writes;

    PayoutProjection(ReadModelWrites writes) {
        this.writes = writes;
    }

    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE payout_view").update();
    }

    @EventHandler
    void on(PayoutRequested event, @SequenceNumber long sequence) {
        writes.row("payout_view", List.of(event.accountId().value(), event.payoutId())).sql("""
                INSERT INTO payout_view (account_id, payout_id, amount_micro_credits, status, requested_at,
                                         last_sequence)
                VALUES (:account, :payout, :amount, 'REQUESTED', :at, :sequence)
                ON CONFLICT (account_id, payout_id) DO NOTHING""")
                .param("account", event.accountId().value())
                .param("payout", event.payoutId())
                .param("amount", event.amount().value())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(PayoutPaid event, @SequenceNumber long sequence) {
        writes.row("payout_view", List.of(event.accountId().value(), event.payoutId())).sql("""
                UPDATE payout_view SET status = 'PAID', paid_at = :at, last_sequence = :sequence
                WHERE account_id = :account AND payout_id = :payout AND last_sequence < :sequence""")
                .param("account", event.accountId().value())
                .param("payout", event.payoutId())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(PayoutFailed event, @SequenceNumber long sequence) {
        writes.row("payout_view", List.of(event.accountId().value(), event.payoutId())).sql("""
                UPDATE payout_view SET status = :status, reason = :reason, failed_at = :at, last_sequence = :sequence
                WHERE account_id = :account AND payout_id = :payout AND last_sequence < :sequence""")
                .param("status", event.reversed() ? "REVERSED" : "FAILED")
                .param("reason", event.reason())
                .param("account", event.accountId().value())
                .param("payout", event.payoutId())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

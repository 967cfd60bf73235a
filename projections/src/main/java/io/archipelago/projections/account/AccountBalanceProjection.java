package io.archipelago.projections.account;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.AccountOpened;
import io.archipelago.exchange.account.api.CreditsDeposited;
import io.archipelago.exchange.account.api.CreditsHeld;
import io.archipelago.exchange.account.api.CreditsReleased;
import io.archipelago.exchange.account.api.CreditsReserved;
import io.archipelago.exchange.account.api.CreditsSettled;
import io.archipelago.exchange.account.api.EarningsCredited;
import io.archipelago.exchange.account.api.HoldReleased;
import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.account.api.PayoutPaid;
import io.archipelago.exchange.account.api.PayoutRequested;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code account_balance_view}. Balances change by amounts, so each row applies an event of its account only
 * when it is later than the last it applied: an event delivered twice is counted once.
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
@WritesInBatches
final class AccountBalanceProjection {

    private final ReadModelWrites writes;

    AccountBalanceProjection(ReadModelWrites writes) {
        this.writes = writes;
    }

    /** A rebuild replays every event into empty tables. */
    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE account_balance_view").update();
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long sequence) {
        writes.row("account_balance_view", event.accountId().value()).sql("""
                INSERT INTO account_balance_view (account_id, country, available_micro_credits, escrow_micro_credits,
                                                  earnings_micro_credits, payouts_in_flight_micro_credits,
                                                  opened_at, updated_at, last_sequence)
                VALUES (:account, :country, 0, 0, 0, 0, :at, :at, :sequence)
                ON CONFLICT (account_id) DO NOTHING""")
                .param("account", event.accountId().value())
                .param("country", event.country() == null ? null : event.country().code())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(CreditsDeposited event, @SequenceNumber long sequence) {
        change(event.accountId(), "available_micro_credits = available_micro_credits + :amount",
                event.amount().value(), event.at(), sequence);
    }

    @EventHandler
    void on(CreditsReserved event, @SequenceNumber long sequence) {
        // what a job of a held workflow draws from its hold is escrow already
        change(event.accountId(), "available_micro_credits = available_micro_credits - :amount, "
                + "escrow_micro_credits = escrow_micro_credits + :amount", event.fromAvailable().value(),
                event.at(), sequence);
    }

    /** A workflow's worst case, held from available in escrow. */
    @EventHandler
    void on(CreditsHeld event, @SequenceNumber long sequence) {
        change(event.accountId(), "available_micro_credits = available_micro_credits - :amount, "
                + "escrow_micro_credits = escrow_micro_credits + :amount", event.amount().value(), event.at(),
                sequence);
    }

    @EventHandler
    void on(HoldReleased event, @SequenceNumber long sequence) {
        change(event.accountId(), "escrow_micro_credits = escrow_micro_credits - :amount, "
                + "available_micro_credits = available_micro_credits + :amount", event.amount().value(), event.at(),
                sequence);
    }

    /** The whole escrow of the job leaves escrow: the charged part leaves the account, the rest is available. */
    @EventHandler
    void on(CreditsSettled event, @SequenceNumber long sequence) {
        writes.row("account_balance_view", event.accountId().value()).sql("""
                UPDATE account_balance_view
                SET escrow_micro_credits = escrow_micro_credits - :charged - :released,
                    available_micro_credits = available_micro_credits + :released,
                    updated_at = :at, last_sequence = :sequence
                WHERE account_id = :account AND last_sequence < :sequence""")
                .param("charged", event.charged().value())
                // what goes back to an open hold stays in escrow
                .param("released", event.toHold() == null ? event.released().value() : 0L)
                .param("account", event.accountId().value())
                .param("at", utc(event.at()))
                .param("sequence", sequence)
                .update();
    }

    @EventHandler
    void on(CreditsReleased event, @SequenceNumber long sequence) {
        change(event.accountId(), "escrow_micro_credits = escrow_micro_credits - :amount, "
                + "available_micro_credits = available_micro_credits + :amount",
                event.toHold() == null ? event.amount().value() : 0L, event.at(), sequence);
    }

    @EventHandler
    void on(EarningsCredited event, @SequenceNumber long sequence) {
        change(event.accountId(), "earnings_micro_credits = earnings_micro_credits + :amount",
                event.amount().value(), event.at(), sequence);
    }

    @EventHandler
    void on(PayoutRequested event, @SequenceNumber long sequence) {
        change(event.accountId(), "earnings_micro_credits = earnings_micro_credits - :amount, "
                + "payouts_in_flight_micro_credits = payouts_in_flight_micro_credits + :amount",
                event.amount().value(), event.at(), sequence);
    }

    @EventHandler
    void on(PayoutPaid event, @SequenceNumber long sequence) {
        change(event.accountId(), "payouts_in_flight_micro_credits = payouts_in_flight_micro_credits - :amount",
                event.amount().value(), event.at(), sequence);
    }

    /** A payout failing in flight leaves payouts in flight; a reversed one had already left them when paid. */
    @EventHandler
    void on(PayoutFailed event, @SequenceNumber long sequence) {
        String inFlight = event.reversed() ? ""
                : ", payouts_in_flight_micro_credits = payouts_in_flight_micro_credits - :amount";
        change(event.accountId(), "earnings_micro_credits = earnings_micro_credits + :amount" + inFlight,
                event.amount().value(), event.at(), sequence);
    }

    private void change(AccountId account, String assignments, long amount, Instant at, long sequence) {
        writes.row("account_balance_view", account.value())
                .sql("UPDATE account_balance_view SET " + assignments + ", updated_at = :at, last_sequence = :sequence"
                        + " WHERE account_id = :account AND last_sequence < :sequence")
                .param("amount", amount)
                .param("account", account.value())
                .param("at", utc(at))
                .param("sequence", sequence)
                .update();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

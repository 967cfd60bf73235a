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
import io.archipelago.projections.RowChange;
import io.archipelago.projections.RowFolds;
import io.archipelago.projections.WritesInBatches;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
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

    private static final String TABLE = "account_balance_view";
    private static final String AVAILABLE = "available_micro_credits";
    private static final String ESCROW = "escrow_micro_credits";
    private static final String EARNINGS = "earnings_micro_credits";
    private static final String IN_FLIGHT = "payouts_in_flight_micro_credits";

    private final ReadModelWrites writes;
    private final RowFolds rows;

    AccountBalanceProjection(ReadModelWrites writes) {
        this.writes = writes;
        this.rows = new RowFolds(writes);
    }

    /** A rebuild replays every event into empty tables. */
    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE account_balance_view").update();
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long sequence) {
        rows.apply(RowChange.insert(TABLE, Map.of("account_id", event.accountId().value()))
                .value("country", event.country() == null ? null : event.country().code())
                .value("available_micro_credits", 0L)
                .value("escrow_micro_credits", 0L)
                .value("earnings_micro_credits", 0L)
                .value("payouts_in_flight_micro_credits", 0L)
                .value("opened_at", utc(event.at()))
                .value("updated_at", utc(event.at()))
                .value("last_sequence", sequence));
    }

    @EventHandler
    void on(CreditsDeposited event, @SequenceNumber long sequence) {
        rows.apply(change(event.accountId(), event.at(), sequence).add(AVAILABLE, event.amount().value()));
    }

    @EventHandler
    void on(CreditsReserved event, @SequenceNumber long sequence) {
        // what a job of a held workflow draws from its hold is escrow already
        long amount = event.fromAvailable().value();
        rows.apply(change(event.accountId(), event.at(), sequence).add(AVAILABLE, -amount).add(ESCROW, amount));
    }

    /** A workflow's worst case, held from available in escrow. */
    @EventHandler
    void on(CreditsHeld event, @SequenceNumber long sequence) {
        long amount = event.amount().value();
        rows.apply(change(event.accountId(), event.at(), sequence).add(AVAILABLE, -amount).add(ESCROW, amount));
    }

    @EventHandler
    void on(HoldReleased event, @SequenceNumber long sequence) {
        long amount = event.amount().value();
        rows.apply(change(event.accountId(), event.at(), sequence).add(ESCROW, -amount).add(AVAILABLE, amount));
    }

    /** The whole escrow of the job leaves escrow: the charged part leaves the account, the rest is available. */
    @EventHandler
    void on(CreditsSettled event, @SequenceNumber long sequence) {
        // what goes back to an open hold stays in escrow
        long released = event.toHold() == null ? event.released().value() : 0L;
        rows.apply(change(event.accountId(), event.at(), sequence)
                .add(ESCROW, -event.charged().value() - released)
                .add(AVAILABLE, released));
    }

    @EventHandler
    void on(CreditsReleased event, @SequenceNumber long sequence) {
        long amount = event.toHold() == null ? event.amount().value() : 0L;
        rows.apply(change(event.accountId(), event.at(), sequence).add(ESCROW, -amount).add(AVAILABLE, amount));
    }

    @EventHandler
    void on(EarningsCredited event, @SequenceNumber long sequence) {
        rows.apply(change(event.accountId(), event.at(), sequence).add(EARNINGS, event.amount().value()));
    }

    @EventHandler
    void on(PayoutRequested event, @SequenceNumber long sequence) {
        long amount = event.amount().value();
        rows.apply(change(event.accountId(), event.at(), sequence).add(EARNINGS, -amount).add(IN_FLIGHT, amount));
    }

    @EventHandler
    void on(PayoutPaid event, @SequenceNumber long sequence) {
        rows.apply(change(event.accountId(), event.at(), sequence).add(IN_FLIGHT, -event.amount().value()));
    }

    /** A payout failing in flight leaves payouts in flight; a reversed one had already left them when paid. */
    @EventHandler
    void on(PayoutFailed event, @SequenceNumber long sequence) {
        long amount = event.amount().value();
        RowChange change = change(event.accountId(), event.at(), sequence).add(EARNINGS, amount);
        if (!event.reversed()) {
            change.add(IN_FLIGHT, -amount);
        }
        rows.apply(change);
    }

    /** The row of the account, changed if it has not applied the event yet; {@code updated_at} set first. */
    private static RowChange change(AccountId account, Instant at, long sequence) {
        return RowChange.update(TABLE, Map.of("account_id", account.value()), sequence).set("updated_at", utc(at));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

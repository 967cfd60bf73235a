package io.archipelago.projections.payout;

import io.archipelago.exchange.account.api.PayoutFailed;
import io.archipelago.exchange.ids.AccountId;
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
import java.util.LinkedHashMap;
import java.util.Map;
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

    private static final String TABLE = "payout_view";

    private final ReadModelWrites writes;
    private final RowFolds rows;

    PayoutProjection(ReadModelWrites writes) {
        this.writes = writes;
        this.rows = new RowFolds(writes);
    }

    @ResetHandler
    void reset() {
        writes.jdbc().sql("TRUNCATE payout_view").update();
    }

    @EventHandler
    void on(PayoutRequested event, @SequenceNumber long sequence) {
        rows.apply(RowChange.insert(TABLE, key(event.accountId(), event.payoutId()))
                .value("amount_micro_credits", event.amount().value())
                .value("status", "REQUESTED")
                .value("requested_at", utc(event.at()))
                .value("last_sequence", sequence));
    }

    @EventHandler
    void on(PayoutPaid event, @SequenceNumber long sequence) {
        rows.apply(RowChange.update(TABLE, key(event.accountId(), event.payoutId()), sequence)
                .set("status", "PAID")
                .set("paid_at", utc(event.at())));
    }

    @EventHandler
    void on(PayoutFailed event, @SequenceNumber long sequence) {
        rows.apply(RowChange.update(TABLE, key(event.accountId(), event.payoutId()), sequence)
                .set("status", event.reversed() ? "REVERSED" : "FAILED")
                .set("reason", event.reason())
                .set("failed_at", utc(event.at())));
    }

    private static Map<String, Object> key(AccountId account, String payout) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("account_id", account.value());
        key.put("payout_id", payout);
        return key;
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

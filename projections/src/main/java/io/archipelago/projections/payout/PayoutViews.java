package io.archipelago.projections.payout;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code payout_view}. */
@Component
public final class PayoutViews {

    private final JdbcClient jdbc;

    PayoutViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Payouts requested in {@code [from, to)}, of one account and/or in one status when given, oldest first. */
    public List<PayoutView> requested(@Nullable String accountId, @Nullable String status, Instant from, Instant to,
                                      int offset, int limit) {
        return jdbc.sql("""
                SELECT * FROM payout_view
                WHERE (CAST(:account AS VARCHAR) IS NULL OR account_id = :account)
                  AND (CAST(:status AS VARCHAR) IS NULL OR status = :status)
                  AND requested_at >= :from AND requested_at < :to
                ORDER BY requested_at, account_id, payout_id LIMIT :limit OFFSET :offset""")
                .param("account", accountId)
                .param("status", status)
                .param("from", from.atOffset(ZoneOffset.UTC))
                .param("to", to.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .param("offset", offset)
                .query((row, number) -> {
                    OffsetDateTime paid = row.getObject("paid_at", OffsetDateTime.class);
                    OffsetDateTime failed = row.getObject("failed_at", OffsetDateTime.class);
                    return new PayoutView(row.getString("account_id"), row.getString("payout_id"),
                            row.getLong("amount_micro_credits"), row.getString("status"), row.getString("reason"),
                            row.getObject("requested_at", OffsetDateTime.class).toInstant(),
                            paid == null ? null : paid.toInstant(), failed == null ? null : failed.toInstant());
                })
                .list();
    }
}

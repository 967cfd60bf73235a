package io.archipelago.projections.cache;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code cache_hit_view}. */
@Component
public final class CacheHitViews {

    private final JdbcClient jdbc;

    CacheHitViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The hits of one account per tier, or of every account when {@code accountId} is null; by account, tier. */
    public List<CacheHitView> hits(@Nullable String accountId) {
        return jdbc.sql("""
                SELECT account_id, tier, hits, saved_micro_credits FROM cache_hit_view
                WHERE :account::text IS NULL OR account_id = :account ORDER BY account_id, tier""")
                .param("account", accountId)
                .query((row, number) -> new CacheHitView(row.getString("account_id"), row.getString("tier"),
                        row.getLong("hits"), row.getLong("saved_micro_credits")))
                .list();
    }
}

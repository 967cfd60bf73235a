package io.archipelago.projections.cache;

import io.archipelago.exchange.account.api.CacheHitRecorded;
import io.archipelago.projections.ProjectionsConfiguration;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code cache_hit_view}: each hit adds one to its account's tier and its saving to the credits saved. */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class CacheHitProjection {

    private final JdbcClient jdbc;

    CacheHitProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE cache_hit_view").update();
    }

    @EventHandler
    void on(CacheHitRecorded event) {
        jdbc.sql("""
                INSERT INTO cache_hit_view (account_id, tier, hits, saved_micro_credits, last_hit_at)
                VALUES (:account, :tier, 1, :saved, :at)
                ON CONFLICT (account_id, tier) DO UPDATE
                SET hits = cache_hit_view.hits + 1,
                    saved_micro_credits = cache_hit_view.saved_micro_credits + EXCLUDED.saved_micro_credits,
                    last_hit_at = GREATEST(cache_hit_view.last_hit_at, EXCLUDED.last_hit_at)""")
                .param("account", event.accountId().value())
                .param("tier", event.tier().name())
                .param("saved", event.saved().value())
                .param("at", event.at().atOffset(ZoneOffset.UTC))
                .update();
    }
}

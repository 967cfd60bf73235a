package io.archipelago.projections.account;

import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.BidPreferencesSet;
import io.archipelago.exchange.ids.Country;
import io.archipelago.projections.ProjectionsConfiguration;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code bid_preferences_view}: each event replaces the account's row whole, unless the row already holds a
 * later one. The reader's cache forgets the account after the change commits (and at once, so a read racing the
 * commit cannot keep the old row for long).
 */
@Component
@ProcessingGroup(ProjectionsConfiguration.PROCESSING_GROUP)
final class BidPreferencesProjection {

    private final JdbcClient jdbc;
    private final BidPreferencesViews views;

    BidPreferencesProjection(JdbcClient jdbc, BidPreferencesViews views) {
        this.jdbc = jdbc;
        this.views = views;
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE bid_preferences_view").update();
        views.forgetAll();
    }

    @EventHandler
    void on(BidPreferencesSet event, @SequenceNumber long sequence) {
        BidPreferences p = event.preferences();
        jdbc.sql("""
                INSERT INTO bid_preferences_view (account_id, limit_micro_credits, max_units, jurisdiction,
                                                  jurisdiction_countries, min_karma, max_rtt_micros, verified_only,
                                                  set_at, last_sequence)
                VALUES (:account, :limit, :maxUnits, :jurisdiction, :countries, :minKarma, :maxRtt, :verifiedOnly,
                        :at, :sequence)
                ON CONFLICT (account_id) DO UPDATE
                SET limit_micro_credits = EXCLUDED.limit_micro_credits, max_units = EXCLUDED.max_units,
                    jurisdiction = EXCLUDED.jurisdiction, jurisdiction_countries = EXCLUDED.jurisdiction_countries,
                    min_karma = EXCLUDED.min_karma, max_rtt_micros = EXCLUDED.max_rtt_micros,
                    verified_only = EXCLUDED.verified_only, set_at = EXCLUDED.set_at,
                    last_sequence = EXCLUDED.last_sequence
                WHERE bid_preferences_view.last_sequence < EXCLUDED.last_sequence""")
                .param("account", event.accountId().value())
                .param("limit", p.limit() == null ? null : p.limit().microCredits())
                .param("maxUnits", p.maxUnits())
                .param("jurisdiction", p.jurisdiction() == null ? null : p.jurisdiction().name())
                .param("countries", p.jurisdiction() == null ? null : p.jurisdiction().sortedCountries().stream()
                        .map(Country::code).collect(Collectors.joining(",")))
                .param("minKarma", p.minKarma() == null ? null : p.minKarma().points())
                .param("maxRtt", p.maxRttMicros())
                .param("verifiedOnly", p.verifiedOnly())
                .param("at", event.at().atOffset(ZoneOffset.UTC))
                .param("sequence", sequence)
                .update();
        String account = event.accountId().value();
        views.forget(account);
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.afterCommit(committed -> views.forget(account)));
    }
}

package io.archipelago.projections.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads {@code bid_preferences_view}. {@link #current} serves every consumer request and answers from a small cache
 * that holds a row (or its absence) at most {@value #CACHE_MILLIS} ms and is emptied for an account as soon as this
 * node projects a change of its preferences; a change projected by another node reaches this one within that time.
 */
@Component
public final class BidPreferencesViews {

    static final long CACHE_MILLIS = 1_000;

    private final JdbcClient jdbc;
    private final Cache<String, Optional<BidPreferencesView>> cache = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMillis(CACHE_MILLIS))
            .build();

    BidPreferencesViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account's preferences as the read model holds them now, bypassing the cache. */
    public Optional<BidPreferencesView> find(String accountId) {
        return jdbc.sql("SELECT * FROM bid_preferences_view WHERE account_id = :account")
                .param("account", accountId)
                .query((row, number) -> view(row))
                .optional();
    }

    /** The account's preferences for a request: {@link BidPreferences#NONE} when it set none. */
    public BidPreferences current(String accountId) {
        return cache.get(accountId, this::find).map(BidPreferencesView::preferences).orElse(BidPreferences.NONE);
    }

    /** Forgets what the cache holds for the account, once its preferences changed. */
    void forget(String accountId) {
        cache.invalidate(accountId);
    }

    /** Forgets everything, when the read model is rebuilt. */
    void forgetAll() {
        cache.invalidateAll();
    }

    private static BidPreferencesView view(ResultSet row) throws SQLException {
        @Nullable String name = row.getString("jurisdiction");
        @Nullable JurisdictionPolicy jurisdiction = name == null ? null : new JurisdictionPolicy(name,
                Arrays.stream(row.getString("jurisdiction_countries").split(",")).map(Country::of)
                        .collect(Collectors.toSet()));
        @Nullable Long limit = row.getObject("limit_micro_credits", Long.class);
        @Nullable Integer karma = row.getObject("min_karma", Integer.class);
        BidPreferences preferences = new BidPreferences(limit == null ? null : PricePerUnit.of(limit),
                row.getObject("max_units", Long.class), jurisdiction, karma == null ? null : Karma.of(karma),
                row.getObject("max_rtt_micros", Long.class), row.getBoolean("verified_only"));
        return new BidPreferencesView(row.getString("account_id"), preferences,
                row.getObject("set_at", OffsetDateTime.class).toInstant());
    }
}

package io.archipelago.query.account;

import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.projections.account.BidPreferencesView;
import io.archipelago.projections.account.BidPreferencesViews;
import io.archipelago.query.web.NotFound;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's bid preferences as the read model holds them: what its requests fall back to now. An open account
 * that never set any answers every term null ({@code setAt} too); an account not known answers 404.
 */
@RestController
final class BidPreferencesQueries {

    private final BidPreferencesViews preferences;
    private final AccountBalances accounts;

    BidPreferencesQueries(BidPreferencesViews preferences, AccountBalances accounts) {
        this.preferences = preferences;
        this.accounts = accounts;
    }

    @GetMapping("/accounts/{accountId}/preferences")
    Preferences preferences(@PathVariable String accountId) {
        Optional<BidPreferencesView> set = preferences.find(accountId);
        if (set.isEmpty() && accounts.find(accountId).isEmpty()) {
            throw new NotFound("account " + accountId);
        }
        return set.map(view -> Preferences.of(accountId, view.preferences(), view.setAt()))
                .orElseGet(() -> Preferences.of(accountId, BidPreferences.NONE, null));
    }

    /**
     * The preferences in the terms {@code PUT} takes, the jurisdiction named as it can be set again ({@code EU},
     * {@code CH} or its country codes) with its countries listed, the latency ceiling in milliseconds, and when they
     * were set.
     */
    record Preferences(String accountId, @Nullable Long limitMicroCredits, @Nullable Long maxUnits,
                       @Nullable String jurisdiction, @Nullable List<String> jurisdictionCountries,
                       @Nullable Integer minKarma, @Nullable Long maxLatencyMs, boolean verifiedOnly,
                       @Nullable Instant setAt) {

        static Preferences of(String accountId, BidPreferences p, @Nullable Instant setAt) {
            JurisdictionPolicy jurisdiction = p.jurisdiction();
            List<String> countries = jurisdiction == null ? null
                    : jurisdiction.sortedCountries().stream().map(Country::code).toList();
            return new Preferences(accountId, p.limit() == null ? null : p.limit().microCredits(), p.maxUnits(),
                    jurisdiction == null ? null
                            : jurisdiction.name().equals("COUNTRIES") ? String.join(",", countries)
                            : jurisdiction.name(),
                    countries, p.minKarma() == null ? null : p.minKarma().points(),
                    p.maxRttMicros() == null ? null : p.maxRttMicros() / 1_000, p.verifiedOnly(), setAt);
        }
    }
}

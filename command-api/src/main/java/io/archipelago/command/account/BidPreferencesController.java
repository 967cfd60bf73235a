package io.archipelago.command.account;

import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFields;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.SetBidPreferences;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.PricePerUnit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sets a consumer account's bid preferences: {@code PUT /accounts/{accountId}/preferences} replaces them whole (a
 * field left out or null is no longer preferred; {@code {}} clears them all) and answers them as set. They apply to
 * the account's requests once the read model has them, normally within milliseconds ({@code GET} on the same path
 * shows them). Their jurisdiction, minimum karma, round-trip ceiling and verified-only bind the account's bids at
 * once: the market reads them from the account itself, whatever the read model shows yet.
 */
@RestController
final class BidPreferencesController {

    private final Commands commands;
    private final Clock clock;

    BidPreferencesController(Commands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @PutMapping("/accounts/{accountId}/preferences")
    PreferencesSet set(@PathVariable String accountId, @Valid @RequestBody Preferences request) {
        AccountId account = new AccountId(accountId);
        BidPreferences preferences = request.toDomain();
        commands.send(new SetBidPreferences(account, preferences, clock.instant()));
        return PreferencesSet.of(account, preferences);
    }

    /**
     * Bid preferences as a consumer sets them: the limit per unit all-in in micro-credits, the most units a job may
     * use, the jurisdiction ({@code EU}, {@code CH} or country codes such as {@code DE,FR}), the least karma an Island
     * needs (0-1000), the round-trip ceiling in milliseconds (1-60000) and whether only verified hosts may take the
     * jobs. Each may be left out: no preference.
     */
    @RejectUnknownFields
    record Preferences(@Nullable @Positive Long limitMicroCredits,
                       @Nullable @Positive @Max(SubmitBid.MAX_UNITS) Long maxUnits,
                       @Nullable String jurisdiction,
                       @Nullable @Min(0) @Max(Karma.MAX_POINTS) Integer minKarma,
                       @Nullable @Min(1) @Max(BidPreferences.MAX_RTT_MICROS / 1_000) Long maxLatencyMs,
                       @Nullable Boolean verifiedOnly) {

        BidPreferences toDomain() {
            JurisdictionPolicy policy;
            try {
                policy = jurisdiction == null ? null : JurisdictionPolicy.parse(jurisdiction);
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("jurisdiction: " + unknown.getMessage()
                        + " (EU, CH or country codes such as DE,FR)");
            }
            return new BidPreferences(limitMicroCredits == null ? null : PricePerUnit.of(limitMicroCredits),
                    maxUnits, policy, minKarma == null ? null : Karma.of(minKarma),
                    maxLatencyMs == null ? null : maxLatencyMs * 1_000, Boolean.TRUE.equals(verifiedOnly));
        }
    }

    /**
     * The preferences as set, in the request's terms; the jurisdiction is named as it can be set again
     * ({@code EU}, {@code CH} or its country codes) and its countries listed.
     */
    record PreferencesSet(String accountId, @Nullable Long limitMicroCredits, @Nullable Long maxUnits,
                          @Nullable String jurisdiction, @Nullable List<String> jurisdictionCountries,
                          @Nullable Integer minKarma, @Nullable Long maxLatencyMs, boolean verifiedOnly) {

        static PreferencesSet of(AccountId account, BidPreferences p) {
            JurisdictionPolicy jurisdiction = p.jurisdiction();
            List<String> countries = jurisdiction == null ? null
                    : jurisdiction.sortedCountries().stream().map(Country::code).toList();
            return new PreferencesSet(account.value(), p.limit() == null ? null : p.limit().microCredits(),
                    p.maxUnits(), jurisdiction == null ? null
                    : jurisdiction.name().equals("COUNTRIES") ? String.join(",", countries) : jurisdiction.name(),
                    countries, p.minKarma() == null ? null : p.minKarma().points(),
                    p.maxRttMicros() == null ? null : p.maxRttMicros() / 1_000, p.verifiedOnly());
        }
    }
}

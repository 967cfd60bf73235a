package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.BoundTerms;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.projections.account.BidPreferencesViews;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A request's {@link BidTerms}: each term from its {@code X-Archipelago-*} header, else from the extra body field that
 * standard clients let through ({@code extra_body}), else from the account's bid preferences
 * ({@code PUT /accounts/{id}/preferences}), else the coordinator's default. The header wins over the body.
 *
 * <table>
 *   <caption>terms</caption>
 *   <tr><th>header</th><th>body field</th><th>against the account's preference</th></tr>
 *   <tr><td>X-Archipelago-Limit</td><td>limit_micro_credits</td><td>overrides it</td></tr>
 *   <tr><td>X-Archipelago-Max-Units</td><td>max_units</td><td>overrides it</td></tr>
 *   <tr><td>X-Archipelago-Jurisdiction</td><td>jurisdiction</td><td>narrows it: the countries in both</td></tr>
 *   <tr><td>X-Archipelago-Min-Karma</td><td>min_karma</td><td>may only raise it</td></tr>
 *   <tr><td>X-Archipelago-Max-Latency-Ms</td><td>max_latency_ms</td><td>may only lower it</td></tr>
 *   <tr><td>X-Archipelago-Verified-Only</td><td>verified_only</td><td>may only turn it on</td></tr>
 * </table>
 *
 * <p>The account's jurisdiction, minimum karma, latency ceiling and verified-only are hard constraints, never relaxed:
 * a request whose jurisdiction shares no country with the account's, or that would lower the karma, raise the
 * ceiling or turn verified-only off, is refused ({@code 400}, {@code jurisdiction_conflict}, {@code karma_conflict},
 * {@code latency_conflict}, {@code verified_conflict}) rather than served under weaker terms. A jurisdiction
 * overlapping the account's is narrowed to the countries in both. With no jurisdiction anywhere the bid carries none
 * and the market places it in the account holder's region.
 */
@Component
final class BidTermsResolver {

    private final Function<String, BidPreferences> preferences;
    private final long defaultLimit;
    private final long defaultMaxUnits;

    @Autowired
    BidTermsResolver(BidPreferencesViews preferences,
                     @Value("${archipelago.openai.default-limit-micro-credits:5000}") long defaultLimit,
                     @Value("${archipelago.openai.default-max-units:10}") long defaultMaxUnits) {
        this(preferences::current, defaultLimit, defaultMaxUnits);
    }

    /** With the account's preferences from {@code preferences}, by account id. */
    BidTermsResolver(Function<String, BidPreferences> preferences, long defaultLimit, long defaultMaxUnits) {
        this.preferences = preferences;
        this.defaultLimit = defaultLimit;
        this.defaultMaxUnits = defaultMaxUnits;
    }

    /** The terms of {@code account}'s request; a malformed term, or one that relaxes the account's, is refused. */
    BidTerms resolve(AccountId account, HttpHeaders headers, JsonNode body) {
        BidPreferences preferred = preferences.apply(account.value());
        @Nullable Long requestedLimit = optionalWhole(headers, "X-Archipelago-Limit", body, "limit_micro_credits");
        long limit = requestedLimit != null ? requestedLimit
                : preferred.limit() != null ? preferred.limit().microCredits() : defaultLimit;
        if (limit <= 0) {
            throw invalid("invalid_limit", "the limit price per unit is positive");
        }
        @Nullable Long requestedUnits = optionalWhole(headers, "X-Archipelago-Max-Units", body, "max_units");
        long maxUnits = requestedUnits != null ? requestedUnits
                : preferred.maxUnits() != null ? preferred.maxUnits() : defaultMaxUnits;
        @Nullable String jurisdiction = text(headers, "X-Archipelago-Jurisdiction", body, "jurisdiction");
        @Nullable Long karma = optionalWhole(headers, "X-Archipelago-Min-Karma", body, "min_karma");
        @Nullable Long latencyMillis = optionalWhole(headers, "X-Archipelago-Max-Latency-Ms", body, "max_latency_ms");
        if (latencyMillis != null && (latencyMillis <= 0 || latencyMillis > 60_000)) {
            throw invalid("invalid_latency", "the latency ceiling is between 1 and 60000 ms, got " + latencyMillis);
        }
        @Nullable String verified = text(headers, "X-Archipelago-Verified-Only", body, "verified_only");
        // the market's own rule, applied here too so that a request it would reject is refused before any bid
        BoundTerms bound = BoundTerms.bind(jurisdiction == null ? null : jurisdiction(jurisdiction),
                karma == null ? null : karma(karma), latencyMillis == null ? null : latencyMillis * 1_000,
                verified == null ? null : flag(verified), preferred);
        BoundTerms.Conflict conflict = bound.conflict();
        if (conflict != null) {
            throw invalid(conflict.name().toLowerCase(Locale.ROOT) + "_conflict", bound.describe(preferred));
        }
        return new BidTerms(limit, maxUnits, bound.jurisdiction(),
                karma == null && preferred.minKarma() == null ? null : bound.minKarma(),
                latencyMillis == null && preferred.maxRttMicros() == null ? null : bound.maxRttMicros(),
                bound.verifiedOnly());
    }

    private static JurisdictionPolicy jurisdiction(String text) {
        try {
            return JurisdictionPolicy.parse(text);
        } catch (IllegalArgumentException unknown) {
            throw invalid("invalid_jurisdiction", unknown.getMessage());
        }
    }

    private static Karma karma(long points) {
        if (points < 0 || points > Karma.MAX_POINTS) {
            throw invalid("invalid_karma", "the minimum karma is between 0 and " + Karma.MAX_POINTS + ", got "
                    + points);
        }
        return Karma.of((int) points);
    }

    private static boolean flag(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw invalid("invalid_verified_only", "verified-only is true or false, got " + text);
        };
    }

    private static @Nullable Long optionalWhole(HttpHeaders headers, String header, JsonNode body, String field) {
        @Nullable String text = text(headers, header, body, field);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notNumber) {
            throw invalid("invalid_" + field, header + " / " + field + " is a whole number, got " + text);
        }
    }

    /** The header's value, else the body field's as text (numbers and booleans included), else null. */
    private static @Nullable String text(HttpHeaders headers, String header, JsonNode body, String field) {
        String value = headers.getFirst(header);
        if (value != null) {
            return value;
        }
        JsonNode node = body.path(field);
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static OpenAiException invalid(String code, String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", code, message);
    }
}

package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.karma.api.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A request's {@link BidTerms}: each term from its {@code X-Archipelago-*} header, else from the extra body field that
 * standard clients let through ({@code extra_body}), else the coordinator's default. The header wins over the body.
 *
 * <table>
 *   <caption>terms</caption>
 *   <tr><th>header</th><th>body field</th></tr>
 *   <tr><td>X-Archipelago-Limit</td><td>limit_micro_credits</td></tr>
 *   <tr><td>X-Archipelago-Max-Units</td><td>max_units</td></tr>
 *   <tr><td>X-Archipelago-Jurisdiction</td><td>jurisdiction</td></tr>
 *   <tr><td>X-Archipelago-Min-Karma</td><td>min_karma</td></tr>
 *   <tr><td>X-Archipelago-Max-Latency-Ms</td><td>max_latency_ms</td></tr>
 *   <tr><td>X-Archipelago-Verified-Only</td><td>verified_only</td></tr>
 * </table>
 */
@Component
final class BidTermsResolver {

    private final long defaultLimit;
    private final long defaultMaxUnits;

    BidTermsResolver(@Value("${archipelago.openai.default-limit-micro-credits:5000}") long defaultLimit,
                     @Value("${archipelago.openai.default-max-units:10}") long defaultMaxUnits) {
        this.defaultLimit = defaultLimit;
        this.defaultMaxUnits = defaultMaxUnits;
    }

    /** The terms of {@code account}'s request; a malformed term is an {@code invalid_request_error}. */
    BidTerms resolve(AccountId account, HttpHeaders headers, JsonNode body) {
        long limit = whole(headers, "X-Archipelago-Limit", body, "limit_micro_credits", defaultLimit);
        if (limit <= 0) {
            throw invalid("invalid_limit", "the limit price per unit is positive");
        }
        long maxUnits = whole(headers, "X-Archipelago-Max-Units", body, "max_units", defaultMaxUnits);
        @Nullable String jurisdiction = text(headers, "X-Archipelago-Jurisdiction", body, "jurisdiction");
        @Nullable Long karma = optionalWhole(headers, "X-Archipelago-Min-Karma", body, "min_karma");
        @Nullable Long latencyMillis = optionalWhole(headers, "X-Archipelago-Max-Latency-Ms", body, "max_latency_ms");
        if (latencyMillis != null && (latencyMillis <= 0 || latencyMillis > 60_000)) {
            throw invalid("invalid_latency", "the latency ceiling is between 1 and 60000 ms, got " + latencyMillis);
        }
        @Nullable String verified = text(headers, "X-Archipelago-Verified-Only", body, "verified_only");
        return new BidTerms(limit, maxUnits, jurisdiction == null ? null : jurisdiction(jurisdiction),
                karma == null ? null : karma(karma), latencyMillis == null ? null : latencyMillis * 1_000,
                verified != null && flag(verified));
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

    private static long whole(HttpHeaders headers, String header, JsonNode body, String field, long fallback) {
        @Nullable Long value = optionalWhole(headers, header, body, field);
        return value == null ? fallback : value;
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

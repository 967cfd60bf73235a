package io.archipelago.coordinator.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * Whether one chat request may be answered from the cache, and so whether its answer is kept. A request says so by
 * the header {@value #HEADER} or the body field {@value #FIELD} ({@code bypass}: neither read nor written;
 * {@code use}: cached even when sampled), or by {@code Cache-Control: no-cache} / {@code no-store} (bypass); the
 * header wins over the field. Without either, a deterministic request (temperature 0, or a seed) is cached, a sampled
 * one (any other temperature, OpenAI's default 1 when none is given) only when its account asks for it: the same
 * sampled request is meant to give another answer.
 */
public enum CacheUse {
    /** Looked up, and its answer kept. */
    CACHED,
    /** Asked to stay out of the cache. */
    BYPASSED,
    /** Sampled, and nobody asked to cache it. */
    SAMPLED;

    /** The header a request names its choice in, and a response its outcome ({@code exact}, {@code miss}...). */
    public static final String HEADER = "X-Archipelago-Cache";
    /** The body field (what clients pass through {@code extra_body}). */
    public static final String FIELD = "cache";

    /**
     * Decides for {@code request}.
     *
     * @throws IllegalArgumentException when the header or the field holds anything but {@code bypass} or {@code use}
     */
    public static CacheUse of(JsonNode request, HttpHeaders headers, boolean accountCachesSampled) {
        @Nullable String asked = asked(request, headers);
        if ("bypass".equals(asked) || noCache(headers)) {
            return BYPASSED;
        }
        if ("use".equals(asked) || "semantic".equals(asked) || accountCachesSampled || deterministic(request)) {
            return CACHED;
        }
        return SAMPLED;
    }

    /** Whether the request itself asks for the semantic tier (an account may ask for all its requests). */
    public static boolean semantic(JsonNode request, HttpHeaders headers) {
        return "semantic".equals(asked(request, headers));
    }

    /** A request whose answer does not depend on chance: temperature 0, or a seed. */
    static boolean deterministic(JsonNode request) {
        JsonNode temperature = request.path("temperature");
        JsonNode seed = request.path("seed");
        return (temperature.isNumber() && temperature.decimalValue().signum() == 0) || seed.isIntegralNumber();
    }

    private static @Nullable String asked(JsonNode request, HttpHeaders headers) {
        @Nullable String header = headers.getFirst(HEADER);
        if (header != null) {
            return choice(header.trim().toLowerCase(Locale.ROOT), "header " + HEADER);
        }
        JsonNode field = request.path(FIELD);
        if (field.isMissingNode() || field.isNull()) {
            return null;
        }
        if (!field.isTextual()) {
            throw new IllegalArgumentException("`" + FIELD + "` is \"bypass\", \"use\" or \"semantic\"");
        }
        return choice(field.asText(), "`" + FIELD + "`");
    }

    private static String choice(String value, String where) {
        if (!value.equals("bypass") && !value.equals("use") && !value.equals("semantic")) {
            throw new IllegalArgumentException(where + " is \"bypass\", \"use\" or \"semantic\"");
        }
        return value;
    }

    private static boolean noCache(HttpHeaders headers) {
        for (String value : headers.getOrEmpty(HttpHeaders.CACHE_CONTROL)) {
            for (String directive : value.split(",")) {
                String name = directive.trim().toLowerCase(Locale.ROOT);
                if (name.equals("no-cache") || name.equals("no-store")) {
                    return true;
                }
            }
        }
        return false;
    }
}

package io.archipelago.access;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The shape of a request, checked before anything reads or stores it: each path variable of the route table in the
 * form of the identifier it names ({@code jobId} a job id, {@code cargo} a Cargo type, ...), a query string that
 * decodes and holds no control character (PostgreSQL refuses NUL in text), and a body sent as JSON when its type is
 * given. A request out of shape is refused whole: 400, or 415 for a body of another media type.
 */
final class RequestForm {

    /** Each path variable of {@link Routes} and the identifier whose constructor decides its form. */
    private static final Map<String, Function<String, ?>> VARIABLES = Map.of(
            "jobId", JobId::new,
            "accountId", AccountId::new,
            "islandId", IslandId::new,
            "cargo", CargoType::new);

    private RequestForm() {
    }

    /** Why the request is out of shape, or empty when it is in shape. */
    static Optional<Refusal> check(Routes.Match match, @Nullable String query, @Nullable String contentType,
                                   boolean hasBody) {
        for (Map.Entry<String, String> variable : match.variables().entrySet()) {
            Function<String, ?> form = VARIABLES.get(variable.getKey());
            if (form == null) {
                continue;
            }
            try {
                form.apply(variable.getValue());
            } catch (IllegalArgumentException malformed) {
                return Optional.of(Refusal.badRequest("invalid path: " + malformed.getMessage()));
            }
        }
        if (query != null) {
            String decoded;
            try {
                decoded = URLDecoder.decode(query, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return Optional.of(Refusal.badRequest("the query string is not percent-encoded UTF-8"));
            }
            if (decoded.chars().anyMatch(Character::isISOControl)) {
                return Optional.of(Refusal.badRequest("the query string holds a control character"));
            }
        }
        if (hasBody && contentType != null && !isJson(contentType)) {
            return Optional.of(new Refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "invalid_request_error",
                    "unsupported_media_type", "the body is JSON: send Content-Type: application/json, not "
                    + contentType, 0));
        }
        return Optional.empty();
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || type.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }
}

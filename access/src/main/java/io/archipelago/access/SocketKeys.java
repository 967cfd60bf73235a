package io.archipelago.access;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.WebUtils;

/**
 * The API key of a browser's WebSocket upgrade to {@value #PATH}. A browser cannot set {@code Authorization} on a
 * WebSocket, so it offers the key as a subprotocol, {@code bearer.<key>}, beside {@value #PROTOCOL}, which the server
 * selects (the key is never echoed). Such a key is taken only on a {@code GET} upgrade of {@value #PATH}, never from
 * the query string, and only from the same origin or one of {@code archipelago.openai.ws.allowed-origins} (patterns
 * as Spring's WebSocket origin check reads them), so that a page elsewhere cannot spend a key pasted into it.
 */
public final class SocketKeys {

    static final String PATH = "/v1/ws";

    /** The subprotocol the WebSocket endpoint selects; browsers offer their key beside it. */
    public static final String PROTOCOL = "archipelago.v1";

    static final String BEARER = "bearer.";

    private final CorsConfiguration origins = new CorsConfiguration();

    SocketKeys(List<String> allowedOrigins) {
        origins.setAllowedOriginPatterns(allowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty())
                .toList());
    }

    /** Whether the request is a WebSocket upgrade of {@value #PATH}: the only one a subprotocol key is read on. */
    static boolean isUpgrade(String method, String path, @Nullable String upgrade) {
        return "GET".equals(method) && PATH.equals(path) && "websocket".equalsIgnoreCase(upgrade);
    }

    /** What the values of the {@code Sec-WebSocket-Protocol} headers offer: each a comma-separated list. */
    static Offer offer(List<String> headerValues) {
        boolean named = false;
        List<String> keys = new ArrayList<>();
        for (String value : headerValues) {
            for (String protocol : value.split(",")) {
                String trimmed = protocol.trim();
                if (trimmed.equals(PROTOCOL)) {
                    named = true;
                } else if (trimmed.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                    keys.add(trimmed.substring(BEARER.length()));
                }
            }
        }
        return new Offer(named, List.copyOf(keys));
    }

    /** Whether a browser on the request's {@code Origin} may upgrade; a request without one is no browser's. */
    boolean allows(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        return origin == null || WebUtils.isSameOrigin(new ServletServerHttpRequest(request))
                || origins.checkOrigin(origin) != null;
    }

    /**
     * The subprotocols a client offered.
     *
     * @param named whether {@value #PROTOCOL} is among them
     * @param keys  the keys offered as {@code bearer.<key>}, in order
     */
    record Offer(boolean named, List<String> keys) {

        /** Why an offer holding a key is refused, if it is: it must hold one key, beside {@value #PROTOCOL}. */
        Optional<Refusal> refusal(boolean authorizationHeader, boolean originAllowed) {
            if (!originAllowed) {
                return Optional.of(Refusal.forbidden("this origin may not open " + PATH
                        + ": the exchange lists the origins it accepts in archipelago.openai.ws.allowed-origins"));
            }
            if (authorizationHeader) {
                return Optional.of(Refusal.badRequest("two credentials: send the key either in Authorization or as "
                        + "the subprotocol " + BEARER + "<key>, not both"));
            }
            if (keys.size() > 1) {
                return Optional.of(Refusal.badRequest("more than one " + BEARER + "<key> subprotocol"));
            }
            if (!named) {
                return Optional.of(Refusal.badRequest("offer the subprotocol " + PROTOCOL + " beside " + BEARER
                        + "<key>"));
            }
            return Optional.empty();
        }
    }
}

package io.archipelago.access;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.RequestPath;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The door of every HTTP request: authenticates {@code Authorization: Bearer <credential>} (the operator token or an
 * account's API key; a browser's WebSocket upgrade may offer the key as a subprotocol instead, see {@link SocketKeys}),
 * limits each key's rate, refuses a request out of shape ({@link RequestForm}), reads the body up to the size limit,
 * and lets the {@link Guard} decide by the {@link Routes route table} merged from every module's {@link RouteTable}.
 * What passes carries its {@link Principal} and, for a key, its account as request attributes. Nothing refused here
 * reaches a controller, so a refused request changes nothing.
 */
final class AccessFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    private static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
    private static final SocketKeys.Offer NO_OFFER = new SocketKeys.Offer(false, List.of());

    private final OperatorToken operator;
    private final ApiKeys keys;
    private final RateLimits rates;
    private final RateLimits failures;
    private final Guard guard;
    private final SocketKeys sockets;
    private final ObjectMapper json;
    private final BodyLimits bodies;
    private final Routes routes;

    AccessFilter(OperatorToken operator, ApiKeys keys, RateLimits rates, RateLimits failures, Guard guard,
                 SocketKeys sockets, ObjectMapper json, BodyLimits bodies, Routes routes) {
        this.operator = operator;
        this.keys = keys;
        this.rates = rates;
        this.failures = failures;
        this.guard = guard;
        this.sockets = sockets;
        // a field given twice is refused, not read as whichever copy a later reader prefers
        this.json = json.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.bodies = bodies;
        this.routes = routes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpServletRequest passed;
        try {
            passed = admit(request, response);
        } catch (DataAccessException unavailable) {
            // credentials and owners live in PostgreSQL: without it nothing is let through, and no 500 either
            logger.warn("access check failed: " + unavailable);
            Refusal.unavailable().send(request, request.getRequestURI(), response, json);
            return;
        }
        if (passed != null) {
            chain.doFilter(passed, response);
        }
    }

    /** The request to pass on, or null when it was answered here. */
    private @Nullable HttpServletRequest admit(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        RequestPath requestPath = ServletRequestPathUtils.parseAndCache(request);
        String path = requestPath.pathWithinApplication().value();
        Routes.Match match = routes.match(request.getMethod(), requestPath.pathWithinApplication());
        Caller caller = null;
        String address = request.getRemoteAddr();
        if (match.rule() != Rule.PUBLIC) {
            long failedTooOften = failures.waitFor(address);
            if (failedTooOften > 0) {
                Refusal.failedAuthentications(failedTooOften).send(request, path, response, json);
                return null;
            }
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            Optional<Caller> authenticated;
            SocketKeys.Offer offer = SocketKeys.isUpgrade(request.getMethod(), path,
                    request.getHeader(HttpHeaders.UPGRADE))
                    ? SocketKeys.offer(Collections.list(request.getHeaders(SEC_WEBSOCKET_PROTOCOL)))
                    : NO_OFFER;
            if (offer.keys().isEmpty()) {
                authenticated = authenticate(authorization);
            } else {
                Optional<Refusal> refusal = offer.refusal(authorization != null, sockets.allows(request));
                if (refusal.isPresent()) {
                    refusal.get().send(request, path, response, json);
                    return null;
                }
                // an account's key only: the operator's token has no business in a browser
                authenticated = keys.authenticate(offer.keys().get(0)).map(Caller::key);
            }
            if (authenticated.isEmpty()) {
                if (authorization != null || !offer.keys().isEmpty()) {
                    failures.take(address);
                }
                Refusal.unauthenticated(authorization == null && offer.keys().isEmpty()
                                ? "no credential: send Authorization: Bearer <API key>"
                                : "incorrect API key provided, or the key was revoked")
                        .send(request, path, response, json);
                return null;
            }
            caller = authenticated.get();
            if (caller.account() != null) {
                // per account, not per key: keys an account issues itself share its rate
                long retryAfter = rates.take(caller.account().value());
                if (retryAfter > 0) {
                    Refusal.rateLimited(retryAfter).send(request, path, response, json);
                    return null;
                }
            }
        }
        Optional<Refusal> malformed = RequestForm.check(match, request.getQueryString(), request.getContentType(),
                ReadBody.hasBody(request));
        if (malformed.isPresent()) {
            malformed.get().send(request, path, response, json);
            return null;
        }
        HttpServletRequest passed = request;
        JsonNode body = null;
        boolean unreadable = false;
        if (ReadBody.hasBody(request)) {
            if (!bodies.enter(address)) {
                Refusal.busyAddress().send(request, path, response, json);
                return null;
            }
            ReadBody read;
            try {
                read = ReadBody.read(request, bodies);
            } catch (ReadBody.Refused refused) {
                refused.refusal().send(request, path, response, json);
                return null;
            } finally {
                bodies.leave(address);
            }
            passed = read;
            if (caller != null && readsBody(match.rule())) {
                try {
                    body = json.readTree(read.body());
                } catch (IOException notJson) {
                    unreadable = true;
                }
            }
        }
        if (caller != null) {
            Optional<Refusal> refusal = guard.check(caller, match, request.getMethod(), path, body, unreadable);
            if (refusal.isPresent()) {
                refusal.get().send(request, path, response, json);
                return null;
            }
            passed.setAttribute(Principal.ATTRIBUTE, caller.principal());
            if (caller.account() != null) {
                passed.setAttribute(Principal.ACCOUNT_ATTRIBUTE, caller.account());
            }
        }
        return passed;
    }

    private Optional<Caller> authenticate(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String credential = authorization.substring(BEARER.length()).trim();
        if (credential.startsWith(ApiKeys.SCHEME)) {
            return keys.authenticate(credential).map(Caller::key);
        }
        return operator.matches(credential) ? Optional.of(Caller.OPERATOR) : Optional.empty();
    }

    private static boolean readsBody(Rule rule) {
        return rule == Rule.BID || rule == Rule.ISLAND_REGISTRATION || rule == Rule.ASK;
    }
}
